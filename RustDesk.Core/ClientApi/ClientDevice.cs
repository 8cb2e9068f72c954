using System.Globalization;
using System.Text;

namespace RustDesk.Core.ClientApi;

/// <summary>
/// A RustDesk client as the console records it: its RustDesk ID and <c>deviceInfo</c>, cleaned (control characters
/// removed, length bounded) because they are shown on the devices tab, in the audit log and in mail.
/// </summary>
public sealed record ClientDevice(string ClientId, string Os, string Type, string Name)
{
    public static ClientDevice From(string clientId, ClientDeviceInfo? info) =>
        new(Clean(clientId), Clean(info?.Os), Clean(info?.Type), Clean(info?.Name));

    /// <summary>"RustDesk client on Windows, id 123456789": the device as the audit log, the mail and a session's User-Agent column name it.</summary>
    public string Describe()
    {
        var text = new StringBuilder(Sessions.UserAgentDescription.ClientPrefix).Append(Type.Length > 0 ? Type : "client");
        if (Os.Length > 0)
        {
            text.Append(" on ").Append(OsName(Os));
        }
        return text.Append(", id ").Append(ClientId).ToString();
    }

    /// <summary>"windows" → "Windows", "macos" → "macOS"; anything else as sent.</summary>
    public static string OsName(string os) => os.ToLowerInvariant() switch
    {
        "windows" => "Windows",
        "linux" => "Linux",
        "macos" => "macOS",
        "android" => "Android",
        "ios" => "iOS",
        _ => os,
    };

    private static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var text = new StringBuilder(Math.Min(value.Length, Sessions.UserSession.MaxDeviceFieldLength));
        foreach (var c in value)
        {
            if (text.Length == Sessions.UserSession.MaxDeviceFieldLength)
            {
                break;
            }
            if (!char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format && !char.IsSurrogate(c))
            {
                text.Append(c);
            }
        }
        return text.ToString().Trim();
    }
}
