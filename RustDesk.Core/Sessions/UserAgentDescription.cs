namespace RustDesk.Core.Sessions;

/// <summary>Browser and operating system named from a User-Agent header, enough to tell one's devices apart.</summary>
public sealed record UserAgentDescription(string Browser, string OperatingSystem)
{
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome/", "Chrome (headless)"),
        ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("CriOS/", "Chrome"), ("Safari/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ];

    /// <summary>
    /// Every RustDesk client's description starts so (<c>ClientApi/ClientDevice</c> writes it into a session's
    /// User-Agent column): no browser's User-Agent does, which tells the two apart.
    /// </summary>
    public const string ClientPrefix = "RustDesk ";

    /// <summary>"Firefox / Linux" for messages and logs; empty when nothing was recognised.</summary>
    public string Summary => string.Join(" / ", new[] { Browser, OperatingSystem }.Where(s => s.Length > 0));

    public static UserAgentDescription Parse(string? userAgent)
    {
        var ua = userAgent ?? "";
        // A RustDesk client signed in through the account API: its description is the whole device.
        if (ua.StartsWith(ClientPrefix, StringComparison.Ordinal))
        {
            return new(ua, "");
        }
        return new(First(ua, Browsers), First(ua, Systems));
    }

    private static string First(string ua, (string Token, string Name)[] table)
    {
        foreach (var (token, name) in table)
        {
            if (ua.Contains(token, StringComparison.Ordinal))
            {
                return name;
            }
        }
        return "";
    }
}
