using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Hosting;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post with an antiforgery token. Checked here rather than through form binding: the framework's
        // automatic 400 for a form-bound endpoint has no body, so the status-code page re-ran the request and
        // threw re-reading the refused form, which turned a missing token into a 500.
        endpoints.MapPost(ConsoleRoutes.SignOut, async (
            [FromServices] SignInManager<ConsoleUser> signIn,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] ILoggerFactory loggers,
            [FromServices] IStringLocalizer<Strings> text,
            HttpContext context) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Text(text["Endpoint.SignOutExpired"].Value, statusCode: StatusCodes.Status400BadRequest);
            }
            var userId = signIn.UserManager.GetUserId(context.User);
            await signIn.SignOutAsync();
            if (userId is not null)
            {
                loggers.CreateLogger("RustDesk.Web.Account").LogInformation("User {UserId} signed out", userId);
            }
            return Results.LocalRedirect(ConsoleRoutes.SignIn);
        });

        // The challenge of a passwordless sign-in: bound to a fresh random handle kept in an HttpOnly cookie, so only
        // this browser can answer it. Rate-limited with the sign-in posts (SignInEndpoints); creating a challenge grants
        // nothing, so it needs no antiforgery token.
        endpoints.MapPost(ConsoleRoutes.SignInPasskeyOptions, async (
            [FromServices] RustDesk.Core.Authentication.PasskeySignInService passkeys,
            HttpContext context) =>
        {
            var start = await passkeys.BeginPasswordlessAsync(context.RequestAborted);
            if (start is null)
            {
                return Results.NotFound();
            }
            RustDesk.Web.Components.Account.PasskeyHandleCookie.Write(context, start.HandleKey);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(start.OptionsJson, "application/json");
        });
    }

    public static void MapPreferenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Remembers the chosen language in a cookie for a year and reloads the page the user was on. A GET writes
        // nothing else: the language for emails is saved when the signed-in layout picks a language (a circuit call)
        // and at sign-in (CulturePreference).
        endpoints.MapGet(ConsoleRoutes.SetCulture, (HttpContext context, [FromServices] IStringLocalizer<Strings> text, string? culture, string? returnUrl) =>
        {
            if (culture is null || !ConsoleCultures.Supported.Contains(culture))
            {
                return Results.Text(text["Endpoint.UnsupportedLanguage"].Value, statusCode: StatusCodes.Status400BadRequest);
            }
            context.Response.Cookies.Append(ConsoleCultures.CookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                    IsEssential = true,
                });
            return Results.LocalRedirect(ReturnUrlPolicy.Sanitize(returnUrl));
        });
    }
}
