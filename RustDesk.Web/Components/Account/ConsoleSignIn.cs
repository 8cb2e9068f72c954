using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Notifications;
using RustDesk.Core.Sessions;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Web.Components.Account;

/// <summary>
/// The last step of every sign-in path: the session cookie, the device cookie that makes this browser a trusted device
/// of the user, and a note of the device (mailing the user when it is new).
/// </summary>
public sealed class ConsoleSignIn(SignInManager<ConsoleUser> signInManager, KnownDeviceService devices, TrustedDeviceService trustedDevices,
    ILogger<ConsoleSignIn> logger)
{
    public async Task SignInAsync(HttpContext context, ConsoleUser user, bool persistent, string how)
    {
        // The browser becomes (or stays) a trusted device first, so that its session row can name the device whose
        // failure budget wrong secrets typed inside the session spend.
        var deviceCookie = await trustedDevices.TrustAsync(user.Id, DeviceCookie.Read(context));
        var properties = new AuthenticationProperties { IsPersistent = persistent };
        properties.Items[SessionTicketStore.DeviceHashItem] = await trustedDevices.FindAsync(user.Id, deviceCookie);
        await signInManager.SignInAsync(user, properties);
        DeviceCookie.Write(context, deviceCookie);
        await devices.RecordSignInAsync(user.Id, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), how);
        await RustDesk.Web.Hosting.CulturePreference.RememberAtSignInAsync(context, user.Id);
        logger.LogInformation("User {UserId} signed in ({Method})", user.Id, how);
    }
}
