using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;

namespace RustDesk.Web.Hosting;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post with an antiforgery token (validated by UseAntiforgery for form-bound endpoints).
        endpoints.MapPost("/account/logout", async (
            [FromServices] SignInManager<ConsoleUser> signIn,
            [FromServices] ILoggerFactory loggers,
            HttpContext context,
            [FromForm] string? returnUrl) =>
        {
            var userId = signIn.UserManager.GetUserId(context.User);
            await signIn.SignOutAsync();
            if (userId is not null)
            {
                loggers.CreateLogger("RustDesk.Web.Account").LogInformation("User {UserId} signed out", userId);
            }
            return TypedResults.LocalRedirect("/account/login");
        });
    }

    public static void MapPreferenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Remembers the chosen language for a year and reloads the page the user was on.
        endpoints.MapGet("/culture/set", (HttpContext context, string? culture, string? returnUrl) =>
        {
            if (culture is null || !ConsoleCultures.Supported.Contains(culture))
            {
                return Results.BadRequest("Unsupported language.");
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
