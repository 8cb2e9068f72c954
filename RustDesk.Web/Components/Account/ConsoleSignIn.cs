using Microsoft.AspNetCore.Identity;
using RustDesk.Core.Accounts;
using RustDesk.Core.Notifications;

namespace RustDesk.Web.Components.Account;

/// <summary>The last step of every sign-in path: the cookie, and a note of the device (mailing the user when it is new).</summary>
public sealed class ConsoleSignIn(SignInManager<ConsoleUser> signInManager, KnownDeviceService devices, ILogger<ConsoleSignIn> logger)
{
    public async Task SignInAsync(HttpContext context, ConsoleUser user, bool persistent, string how)
    {
        await signInManager.SignInAsync(user, persistent);
        await devices.RecordSignInAsync(user.Id, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), how);
        await RustDesk.Web.Hosting.CulturePreference.RememberAtSignInAsync(context, user.Id);
        logger.LogInformation("User {UserId} signed in ({Method})", user.Id, how);
    }
}
