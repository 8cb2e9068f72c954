using Microsoft.AspNetCore.Identity;
using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;

namespace RustDesk.Web.Hosting;

/// <summary>
/// A signed-in user for whom staff enforce 2FA and who has not enrolled reaches nothing but the enrollment page (and
/// sign-out): every other page load is redirected there. In-circuit navigation is held by the layout's gate.
/// </summary>
public sealed class EnforcedEnrollmentMiddleware(RequestDelegate next)
{
    private static readonly string[] Open = [ConsoleRoutes.Enrollment, .. ConsoleRoutes.AlwaysOpen];

    public async Task InvokeAsync(HttpContext context, UserManager<ConsoleUser> users, TwoFactorService twoFactor)
    {
        var path = context.Request.Path.Value ?? "/";
        if (context.User.Identity?.IsAuthenticated == true && HttpMethods.IsGet(context.Request.Method)
            && !Open.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !Path.HasExtension(path)
            && users.GetUserId(context.User) is { } userId && await twoFactor.MustEnrollAsync(userId))
        {
            context.Response.Redirect(ConsoleRoutes.Enrollment);
            return;
        }
        await next(context);
    }
}
