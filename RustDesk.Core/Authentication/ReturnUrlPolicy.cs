namespace RustDesk.Core.Authentication;

/// <summary>
/// Where the console may send a browser after sign-in or a preference change: only a path on this site.
/// Anything else ("//evil.example", "/\evil.example", "https://…", "javascript:…", control characters) falls
/// back to the home page, so a crafted link cannot turn the sign-in page into an open redirect.
/// </summary>
public static class ReturnUrlPolicy
{
    public const string Home = "/";
    private const int MaxLength = 2048;

    public static string Sanitize(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > MaxLength)
        {
            return Home;
        }
        if (returnUrl[0] != '/' || returnUrl.StartsWith("//", StringComparison.Ordinal)
            || returnUrl.StartsWith("/\\", StringComparison.Ordinal))
        {
            return Home;
        }
        foreach (var c in returnUrl)
        {
            if (char.IsControl(c) || c == '\\' || char.IsWhiteSpace(c))
            {
                return Home;
            }
        }
        return Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) ? returnUrl : Home;
    }
}
