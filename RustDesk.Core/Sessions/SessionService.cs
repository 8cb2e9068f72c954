using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Sessions;

/// <summary>Lists, checks and ends a user's sessions.</summary>
public sealed class SessionService(ConsoleDbContext db, Microsoft.AspNetCore.Identity.UserManager<ConsoleUser> users, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<ConsoleSessionOptions> options)
{
    /// <summary>
    /// True while the browser session exists, is unexpired and within its absolute lifetime, belongs to the user, and the
    /// user is active with the same stamp. A RustDesk client's token is no session of a page (it never opens the console).
    /// </summary>
    public async Task<bool> IsValidAsync(string? sessionId, string? userId, CancellationToken cancellationToken = default) =>
        await ValidUsers(sessionId, userId).AnyAsync(cancellationToken);

    /// <summary>
    /// The user of a valid session (see <see cref="IsValidAsync"/>): one row, or none when the session is not valid. The
    /// one statement of that rule, so <see cref="SessionGuard"/> can read the user's state in the same query.
    /// </summary>
    internal IQueryable<ConsoleUser> ValidUsers(string? sessionId, string? userId)
    {
        if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(userId))
        {
            return db.Users.Where(_ => false);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = options.Value.AbsoluteCutoff(now);
        return db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId && s.Kind == SessionKind.Browser && s.ExpiresAt > now && s.CreatedAt > cutoff)
            .Join(db.Users.AsNoTracking(), s => s.UserId, u => u.Id, (s, u) => new { Session = s, User = u })
            .Where(x => x.User.Status == UserStatus.Active && x.Session.SecurityStamp == x.User.SecurityStamp)
            .Select(x => x.User);
    }

    /// <summary>
    /// After the user's security stamp changed to <paramref name="newStamp"/> (a new password, 2FA switched on or off):
    /// with <paramref name="signOutOthers"/> the current session follows the new stamp and every other session of the
    /// user ends; without, every session of the user follows it. The one place for that choice.
    /// </summary>
    internal Task FollowNewStampAsync(string userId, string? currentSessionId, string newStamp, bool signOutOthers,
        CancellationToken cancellationToken) =>
        signOutOthers
            ? KeepOnlyCurrentAsync(userId, currentSessionId, newStamp, cancellationToken)
            : MoveAllToStampAsync(userId, newStamp, cancellationToken);

    /// <summary>Ends every session of the user, browser and client token alike, without touching the security stamp.</summary>
    internal async Task EndAllAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.Sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Moves the current session to the user's new security stamp and ends every other session of the user.</summary>
    private async Task KeepOnlyCurrentAsync(string userId, string? currentSessionId, string newStamp, CancellationToken cancellationToken)
    {
        await db.Sessions.Where(s => s.UserId == userId && s.Id != currentSessionId).ExecuteDeleteAsync(cancellationToken);
        if (currentSessionId is not null)
        {
            await db.Sessions.Where(s => s.Id == currentSessionId && s.UserId == userId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.SecurityStamp, newStamp), cancellationToken);
        }
    }

    /// <summary>Moves every session of the user to the new security stamp (a change that keeps other devices signed in).</summary>
    private async Task MoveAllToStampAsync(string userId, string newStamp, CancellationToken cancellationToken) =>
        await db.Sessions.Where(s => s.UserId == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SecurityStamp, newStamp), cancellationToken);

    /// <summary>New security stamp and no session left: the user is signed out on every device (staff and recovery actions).</summary>
    internal async Task SignOutEverywhereAsync(ConsoleUser user, CancellationToken cancellationToken = default)
    {
        await users.UpdateSecurityStampAsync(user);
        await EndAllAsync(user.Id, cancellationToken);
    }
}
