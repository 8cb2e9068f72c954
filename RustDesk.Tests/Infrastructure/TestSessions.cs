using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// Sessions and enrollment on any service provider with the console's Core (a <see cref="CoreHost"/> or the web
/// app of <see cref="ConsoleAppFactory"/>), for tests whose subject is something else.
/// </summary>
public static class TestSessions
{
    /// <summary>What SignInManager does at sign-in, without HTTP: Identity's principal, wrapped in a ticket, handed to <see cref="SessionTicketStore"/>.</summary>
    /// <param name="deviceHash">The trusted device the browser signed in from (as <c>ConsoleSignIn</c> passes it), or none.</param>
    public static async Task<StoredSession> StoreSessionAsync(IServiceProvider services, ConsoleUser user, bool persistent = false,
        string? deviceHash = null)
    {
        await using var scope = services.CreateAsyncScope();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ConsoleUser>>().CreateAsync(user);
        var properties = new AuthenticationProperties { IsPersistent = persistent };
        properties.Items[SessionTicketStore.DeviceHashItem] = deviceHash;
        var ticket = new AuthenticationTicket(principal, properties, IdentityConstants.ApplicationScheme);
        var key = await services.GetRequiredService<SessionTicketStore>().StoreAsync(ticket);
        return new StoredSession(key, ticket.Principal.GetSessionId()!, user.Id);
    }

    /// <summary>
    /// A shortcut for tests that are not about re-verification: writes the session's grant as a successful
    /// re-verification would (for the length of a single-use grant).
    /// </summary>
    public static async Task GrantAsync(IServiceProvider services, string sessionId)
    {
        await using var scope = services.CreateAsyncScope();
        var until = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddMinutes(10);
        var updated = await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ReVerifiedUntil, until));
        Assert.Equal(1, updated);
    }

    /// <summary>
    /// Turns TOTP on through the Core services as the enable dialog does: from <paramref name="sessionId"/> (granted
    /// first), or from a session stored for the purpose and ended afterwards, so that, as with any enrollment that
    /// signs other devices out, the user has no session left. <paramref name="codeFor"/> computes the code for the shown key.
    /// </summary>
    public static async Task<(string SecretBase32, IReadOnlyList<string> BackupCodes)> EnableTotpAsync(IServiceProvider services,
        string userId, Func<string, Task<string>> codeFor, string? sessionId = null)
    {
        ConsoleUser user;
        await using (var scope = services.CreateAsyncScope())
        {
            user = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByIdAsync(userId)
                ?? throw new InvalidOperationException("no user " + userId);
        }
        var own = sessionId is null ? await StoreSessionAsync(services, user) : null;
        var session = sessionId ?? own!.SessionId;
        await GrantAsync(services, session);
        await using (var scope = services.CreateAsyncScope())
        {
            var enrollment = scope.ServiceProvider.GetRequiredService<TotpEnrollmentService>();
            var start = await enrollment.StartAsync(userId, session);
            Assert.NotNull(start.View);
            var result = await enrollment.ConfirmAsync(userId, session, await codeFor(start.View.SecretBase32));
            Assert.Equal(EnrollmentStatus.Enabled, result.Status);
            if (own is not null)
            {
                await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Sessions.Where(s => s.Id == own.SessionId).ExecuteDeleteAsync();
            }
            return (start.View.SecretBase32, result.BackupCodes!);
        }
    }

    public static byte[] KeyOf(string base32) => Base32Encoding.ToBytes(base32);
}
