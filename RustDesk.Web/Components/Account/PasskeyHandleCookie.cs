namespace RustDesk.Web.Components.Account;

/// <summary>
/// The browser's half of a passwordless passkey sign-in: the random handle its challenge is bound to (the database keeps
/// its hash), so an assertion made for one browser's challenge is refused from another. HttpOnly, SameSite=Strict, gone
/// with the browser, and deleted once used.
/// </summary>
public static class PasskeyHandleCookie
{
    public const string Name = "rd.passkey";
    private const string Path = "/";

    public static string? Read(HttpContext context) => context.Request.Cookies[Name];

    public static void Write(HttpContext context, string key) =>
        context.Response.Cookies.Append(Name, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = Path,
            IsEssential = true,
        });

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, new CookieOptions { Path = Path, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Strict });
}
