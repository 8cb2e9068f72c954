using Microsoft.AspNetCore.Identity;
using RustDesk.Core.Accounts;

namespace RustDesk.Web.Hosting;

/// <summary>
/// A signed-in user who must replace a generated password (<see cref="PasswordChangeRequirement"/>) reaches nothing
/// but the change-password page (and sign-out): every other page load is redirected there. In-circuit navigation is
/// held by the layout's <c>PasswordChangeGate</c>. Runs before the enforced-enrollment redirect, so the password
/// comes first.
/// </summary>
public sealed class PasswordChangeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, UserManager<ConsoleUser> users, PasswordChangeRequirement requirement)
    {
        var path = context.Request.Path.Value ?? "/";
        if (context.User.Identity?.IsAuthenticated == true && HttpMethods.IsGet(context.Request.Method)
            && !ConsoleRoutes.AlwaysOpen.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !Path.HasExtension(path)
            && users.GetUserId(context.User) is { } userId && await requirement.MustChangePasswordAsync(userId))
        {
            context.Response.Redirect(ConsoleRoutes.ChangePassword);
            return;
        }
        await next(context);
    }
}
