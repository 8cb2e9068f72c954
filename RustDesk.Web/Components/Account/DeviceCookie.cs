using RustDesk.Core.Authentication.Lockout;

namespace RustDesk.Web.Components.Account;

/// <summary>
/// The browser's device cookie (OWASP "device cookies"): set after every completed sign-in, it names a random device
/// id, signed and encrypted by Data Protection (<see cref="TrustedDeviceService"/>), so that this browser spends its own
/// failure budget and a flood of failures from elsewhere never locks it out. HttpOnly, SameSite=Strict, whole site,
/// kept for <see cref="TrustedDeviceService.Lifetime"/> (it is not a session: it grants nothing by itself).
/// </summary>
public static class DeviceCookie
{
    public const string Name = "rd.device";
    private const string Path = "/";

    public static string? Read(HttpContext context) => context.Request.Cookies[Name];

    public static void Write(HttpContext context, string value) =>
        context.Response.Cookies.Append(Name, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = Path,
            MaxAge = TrustedDeviceService.Lifetime,
            IsEssential = true,
        });

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, new CookieOptions { Path = Path, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Strict });
}
