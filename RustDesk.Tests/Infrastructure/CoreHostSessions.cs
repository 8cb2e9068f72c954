using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Sessions;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Tests.Infrastructure;

/// <summary>A stored session as the cookie handler makes one: the browser's key, the row's id and whose it is.</summary>
public sealed record StoredSession(string Key, string SessionId, string UserId);

public static class CoreHostSessions
{
    /// <summary>
    /// What SignInManager does at sign-in, without HTTP: the principal from Identity's claims factory (user id and
    /// security stamp claims), wrapped in a ticket and handed to the <see cref="SessionTicketStore"/>.
    /// </summary>
    public static async Task<StoredSession> StoreSessionAsync(this CoreHost host, string userName, bool persistent = false,
        string? deviceHash = null)
    {
        var user = await host.FindUserAsync(userName) ?? throw new InvalidOperationException("no user " + userName);
        return await TestSessions.StoreSessionAsync(host.Services, user, persistent, deviceHash);
    }

    /// <summary>
    /// The id of a newly stored session of the user with <paramref name="userId"/>, as a page of theirs would pass it
    /// to Core; for an unknown id, a made-up session id (which Core refuses).
    /// </summary>
    public static async Task<string> SessionIdOfAsync(this CoreHost host, string userId)
    {
        var user = await host.WithAsync<Microsoft.AspNetCore.Identity.UserManager<RustDesk.Core.Accounts.ConsoleUser>, RustDesk.Core.Accounts.ConsoleUser?>(
            u => u.FindByIdAsync(userId));
        return user is null ? new string('F', 64) : (await TestSessions.StoreSessionAsync(host.Services, user)).SessionId;
    }

    /// <summary>See <see cref="TestSessions.GrantAsync"/>: a re-verification grant without going through the modal.</summary>
    public static Task GrantAsync(this CoreHost host, StoredSession session) => TestSessions.GrantAsync(host.Services, session.SessionId);

    public static Task<AuthenticationTicket?> RetrieveAsync(this CoreHost host, StoredSession session) =>
        host.Services.GetRequiredService<SessionTicketStore>().RetrieveAsync(session.Key);

    public static Task<bool> IsValidAsync(this CoreHost host, StoredSession session) =>
        host.WithAsync<SessionService, bool>(s => s.IsValidAsync(session.SessionId, session.UserId));
}

public static class CoreHostReVerification
{
    /// <summary>Stores a session for the user and re-verifies it with <paramref name="secret"/> (a 2FA code, or the password without 2FA).</summary>
    public static async Task<StoredSession> VerifiedSessionAsync(this CoreHost host, string userName, string secret)
    {
        var session = await host.StoreSessionAsync(userName);
        var status = await host.WithAsync<RustDesk.Core.ReVerification.ReVerificationService, RustDesk.Core.ReVerification.ReVerificationStatus>(
            s => s.VerifyAsync(session.UserId, session.SessionId, secret));
        Assert.Equal(RustDesk.Core.ReVerification.ReVerificationStatus.Verified, status);
        return session;
    }
}
