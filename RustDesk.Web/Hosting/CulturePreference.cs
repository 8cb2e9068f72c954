using Microsoft.AspNetCore.Localization;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;

namespace RustDesk.Web.Hosting;

/// <summary>
/// Saves the language the console shows a user as the language of the emails it sends them, without a GET that
/// writes: at sign-in (a POST) from the culture cookie, and in the layout's language menu (a circuit call).
/// </summary>
public static class CulturePreference
{
    /// <summary>The supported language the culture cookie names, or null.</summary>
    public static string? FromCookie(HttpRequest request)
    {
        var value = request.Cookies[ConsoleCultures.CookieName];
        var culture = string.IsNullOrEmpty(value) ? null : CookieRequestCultureProvider.ParseCookieValue(value)?.UICultures.FirstOrDefault().Value;
        return culture is not null && ConsoleCultures.Supported.Contains(culture) ? culture : null;
    }

    /// <summary>At sign-in: a browser that chose a language with the switch keeps that language in the emails too.</summary>
    public static async Task RememberAtSignInAsync(HttpContext context, string userId)
    {
        if (FromCookie(context.Request) is { } culture)
        {
            await context.RequestServices.GetRequiredService<AccountSettingsService>().SetPreferredCultureAsync(userId, culture);
        }
    }
}
