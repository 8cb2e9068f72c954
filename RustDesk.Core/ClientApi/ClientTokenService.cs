using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Notifications;
using RustDesk.Core.Security;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.ClientApi;

/// <summary>
/// The RustDesk client's access tokens. A token is 256 random bits (<see cref="OpaqueKey"/>); the <c>Sessions</c> table
/// keeps only its SHA-256, in a row of <see cref="SessionKind.ApiToken"/>, so everything that ends sessions — the
/// devices tab, staff's force logout, a password change that signs other devices out, 2FA changes, <c>reset-2fa</c>, a
/// disabled account, a changed security stamp — ends tokens too. Lifetimes are those of a Remember me session (the
/// client always asks for <c>autoLogin</c>): sliding <c>Sessions:PersistentDays</c>, at most <c>Sessions:AbsoluteDays</c>.
/// A token is accepted only as a bearer token, never as a cookie session, nor a cookie's key as a token.
/// </summary>
public sealed class ClientTokenService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    KnownDeviceService knownDevices,
    TimeProvider time,
    IOptions<ConsoleSessionOptions> options,
    ILogger<ClientTokenService> logger)
{
    /// <summary>Longer bearer values are no token of ours (ours are 43 characters) and are refused unhashed.</summary>
    public const int MaxTokenLength = 128;

    /// <summary>Stores a new token for a completed sign-in, audits the sign-in and notifies the user of a new device.</summary>
    public async Task<string> IssueAsync(ConsoleUser user, ClientDevice device, string? ipAddress, string how,
        CancellationToken cancellationToken = default)
    {
        var token = OpaqueKey.New();
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = options.Value.AbsoluteCutoff(now);
        var description = device.Describe();
        // As the cookie store does: clearing expired rows here keeps the table from growing without a timer.
        await db.Sessions.Where(s => s.ExpiresAt <= now || s.CreatedAt <= cutoff).ExecuteDeleteAsync(cancellationToken);
        db.Sessions.Add(new UserSession
        {
            Id = OpaqueKey.Hash(token),
            UserId = user.Id,
            Kind = SessionKind.ApiToken,
            SecurityStamp = user.SecurityStamp ?? "",
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = options.Value.ExpiresAt(now, now, persistent: true),
            IsPersistent = true,
            IpAddress = Truncate(ipAddress, UserSession.MaxIpLength),
            UserAgent = Truncate(description, UserSession.MaxUserAgentLength),
            ClientId = device.ClientId,
            DeviceOs = device.Os,
            DeviceType = device.Type,
            DeviceName = device.Name,
        });
        await db.SaveChangesAsync(cancellationToken);
        await knownDevices.RecordClientSignInAsync(user.Id, ipAddress, description, how, cancellationToken);
        logger.LogInformation("User {UserId} signed in from a RustDesk client ({Method})", user.Id, how);
        return token;
    }

    /// <summary>
    /// The user of a valid token, or null: unknown, revoked, expired, past the absolute lifetime, a changed security
    /// stamp, a disabled account, or a cookie session's key. Activity slides the token's end (at most once a minute),
    /// never past the absolute lifetime and never for a token that has ended.
    /// </summary>
    public async Task<ConsoleUser?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }
        var id = OpaqueKey.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = options.Value.AbsoluteCutoff(now);
        var row = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == id && s.Kind == SessionKind.ApiToken && s.ExpiresAt > now && s.CreatedAt > cutoff)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.UserId, s.CreatedAt, s.LastSeenAt, s.SecurityStamp, UserStamp = u.SecurityStamp, u.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null || row.Status != UserStatus.Active || row.SecurityStamp != row.UserStamp)
        {
            return null;
        }
        if (now - row.LastSeenAt >= ConsoleSessionOptions.SlidingResolution)
        {
            var expires = options.Value.ExpiresAt(row.CreatedAt, now, persistent: true);
            await db.Sessions.Where(s => s.Id == id && s.ExpiresAt > now && s.CreatedAt > cutoff)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExpiresAt, expires).SetProperty(s => s.LastSeenAt, now), cancellationToken);
        }
        return await users.FindByIdAsync(row.UserId);
    }

    /// <summary>Ends the token's session (<c>/api/logout</c>); true when there was one.</summary>
    public async Task<bool> SignOutAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }
        var id = OpaqueKey.Hash(token);
        var ended = await db.Sessions.Where(s => s.Id == id && s.Kind == SessionKind.ApiToken).ExecuteDeleteAsync(cancellationToken);
        if (ended == 1)
        {
            logger.LogInformation("A RustDesk client signed out");
        }
        return ended == 1;
    }

    /// <summary>The user as the client shows it.</summary>
    public async Task<ClientUserPayload> PayloadAsync(ConsoleUser user) =>
        new(user.UserName ?? "", user.DisplayName, user.Email ?? "", user.Note, (int)user.Status,
            await users.IsInRoleAsync(user, Roles.Administrator), user.EmailLoginVerification, user.AlarmNotificationEnabled);

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
