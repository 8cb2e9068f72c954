namespace RustDesk.Web.Components.Account;

/// <summary>
/// The browser's half of a pending sign-in: a random key (the database keeps its hash). HttpOnly, SameSite=Strict and
/// gone when the browser closes. Path=/ because under HTTPS every cookie is a <c>__Host-</c> cookie, which must have it.
/// </summary>
public static class PendingSignInCookie
{
    public const string Name = "rd.pending";
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
