using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Security;

/// <summary>Where people reach the console (configuration section <c>Console</c>).</summary>
public sealed class PublicUrlOptions
{
    public const string Section = "Console";

    /// <summary>
    /// The console's public address, e.g. <c>https://console.example.com</c>: links in mail (invitations) are built on
    /// it, never on the address a request came in on, which a forged Host header would choose. Empty: no invitations.
    /// </summary>
    [StringLength(2000, ErrorMessage = "Console:PublicBaseUrl may have at most 2000 characters.")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>The configured address with a trailing slash, or null when none is set.</summary>
    public Uri? BaseUri => TryParse(PublicBaseUrl, out var uri) ? uri : null;

    /// <summary>An absolute http(s) URL without user info, query or fragment; a trailing slash is added.</summary>
    public static bool TryParse(string? value, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https") || parsed.UserInfo.Length > 0 || parsed.Query.Length > 0
            || parsed.Fragment.Length > 0 || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }
        uri = parsed.AbsolutePath.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        return true;
    }
}
