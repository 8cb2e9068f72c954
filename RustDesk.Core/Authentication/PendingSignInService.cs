using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Security;

namespace RustDesk.Core.Authentication;

/// <summary>What the second-step pages need to know about a pending sign-in.</summary>
public sealed record PendingSignInInfo(string Id, string UserId, SecondFactorMethod Method, bool IsPersistent, DateTime ExpiresAt,
    string IpAddress = "", string UserAgent = "", string? DeviceHash = null);

/// <summary>The RustDesk client a pending sign-in is bound to (its RustDesk ID and <c>uuid</c>).</summary>
public sealed record PendingClient(string Id, string Uuid);

/// <summary>A pending sign-in that may still be finished, with its user as they are now.</summary>
public sealed record ValidPendingSignIn(PendingSignIn SignIn, ConsoleUser User);

/// <summary>
/// Creates, finds and closes pending sign-ins (the state between the password and the second factor). A pending
/// sign-in is bound to the user's security stamp and to the method it was started for: a password change, 2FA turned on
/// or off, a forced logout or the command line's <c>set-password</c> since the password step voids it. It ends at the
/// latest <see cref="AbsoluteLifetime"/> after the password step, however often a code is resent.
/// </summary>
public sealed class PendingSignInService(ConsoleDbContext db, UserManager<ConsoleUser> users, TimeProvider time,
    ILogger<PendingSignInService> logger)
{
    /// <summary>How long a TOTP step may take; the email step lives as long as its code.</summary>
    public static readonly TimeSpan TotpLifetime = TimeSpan.FromMinutes(10);

    /// <summary>No sign-in may take longer than this from its password step to its last step.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The step a correct password leads to for this user now: the 2FA step (<see cref="SecondFactorMethod.Totp"/>: a TOTP
    /// code, a backup code or a passkey) when 2FA is on, else an emailed code when email verification applies, else none.
    /// </summary>
    public async Task<SecondFactorMethod?> RequiredMethodAsync(ConsoleUser user, CancellationToken cancellationToken = default) =>
        await db.UserIdsWithTwoFactor().AnyAsync(id => id == user.Id, cancellationToken) ? SecondFactorMethod.Totp
        : EmailSignInService.Applies(user) ? SecondFactorMethod.Email
        : null;

    /// <summary>Pending sign-ins a user may have open at once from browsers: a new one ends the earlier one (and voids its code).</summary>
    public const int MaxBrowserSignInsPerUser = 1;

    /// <summary>
    /// Pending sign-ins a user may have open at once from RustDesk clients (the oldest ended first); a new one from the
    /// same client (<c>id</c> and <c>uuid</c>) replaces that client's earlier one. Counted apart from the browsers', so a
    /// client signing in never ends a browser's sign-in, nor the other way round.
    /// </summary>
    public const int MaxClientSignInsPerUser = 3;

    /// <summary>
    /// Starts a pending sign-in and returns its key (the browser's cookie, or the client's <c>secret</c>). The step lasts
    /// <paramref name="lifetime"/>, at most <see cref="AbsoluteLifetime"/>. <paramref name="client"/> names the RustDesk
    /// client it is bound to; null for a browser.
    /// </summary>
    public async Task<string> CreateAsync(ConsoleUser user, SecondFactorMethod method, bool persistent, TimeSpan lifetime,
        string? ipAddress, string? userAgent, string? deviceHash = null, PendingClient? client = null,
        CancellationToken cancellationToken = default)
    {
        var key = OpaqueKey.New();
        var now = time.GetUtcNow().UtcDateTime;
        var kind = client is null ? SignInClient.Browser : SignInClient.RustDeskClient;
        await db.PendingSignIns.Where(p => p.ExpiresAt <= now || p.AbsoluteExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        if (client is not null)
        {
            await db.PendingSignIns.Where(p => p.UserId == user.Id && p.Client == kind && p.ClientId == client.Id && p.ClientUuid == client.Uuid)
                .ExecuteDeleteAsync(cancellationToken);
        }
        var keep = await db.PendingSignIns.Where(p => p.UserId == user.Id && p.Client == kind)
            .OrderByDescending(p => p.CreatedAt).Take((client is null ? MaxBrowserSignInsPerUser : MaxClientSignInsPerUser) - 1)
            .Select(p => p.Id).ToListAsync(cancellationToken);
        await db.PendingSignIns.Where(p => p.UserId == user.Id && p.Client == kind && !keep.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
        db.PendingSignIns.Add(new PendingSignIn
        {
            Id = OpaqueKey.Hash(key),
            UserId = user.Id,
            Method = method,
            IsPersistent = persistent,
            CreatedAt = now,
            ExpiresAt = now + (lifetime < AbsoluteLifetime ? lifetime : AbsoluteLifetime),
            AbsoluteExpiresAt = now + AbsoluteLifetime,
            SecurityStamp = user.SecurityStamp ?? "",
            DeviceHash = deviceHash,
            IpAddress = Truncate(ipAddress, Sessions.UserSession.MaxIpLength),
            UserAgent = Truncate(userAgent, Sessions.UserSession.MaxUserAgentLength),
            Client = kind,
            ClientId = client?.Id,
            ClientUuid = client?.Uuid,
        });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>The unexpired pending sign-in for a browser key, or null (unknown, forged, expired, finished, or a client's).</summary>
    public async Task<PendingSignInInfo?> FindAsync(string? key, CancellationToken cancellationToken = default)
    {
        var row = await FindRowByIdAsync(IdOf(key), SignInClient.Browser, cancellationToken);
        return row is null ? null
            : new PendingSignInInfo(row.Id, row.UserId, row.Method, row.IsPersistent, row.ExpiresAt, row.IpAddress, row.UserAgent, row.DeviceHash);
    }

    /// <summary>
    /// The pending sign-in for a browser key when it is for <paramref name="method"/> and may still be finished: the user
    /// is active, has the security stamp of the password step and still needs that method. Otherwise null, and a sign-in
    /// voided by such a change is deleted.
    /// </summary>
    public Task<ValidPendingSignIn?> FindValidAsync(string? key, SecondFactorMethod method, CancellationToken cancellationToken = default) =>
        FindValidByIdAsync(IdOf(key), SignInClient.Browser, method, cancellationToken);

    /// <summary>As <see cref="FindValidAsync"/>, by the row's id, for a sign-in started by <paramref name="client"/>.</summary>
    public async Task<ValidPendingSignIn?> FindValidByIdAsync(string? id, SignInClient client, SecondFactorMethod method,
        CancellationToken cancellationToken = default)
    {
        var row = await FindRowByIdAsync(id, client, cancellationToken);
        if (row is null || row.Method != method)
        {
            return null;
        }
        var user = await users.FindByIdAsync(row.UserId);
        var voided = user is null || user.Status != UserStatus.Active ? "the account is gone or disabled"
            : !string.Equals(user.SecurityStamp ?? "", row.SecurityStamp, StringComparison.Ordinal) ? "the security stamp changed"
            : await RequiredMethodAsync(user, cancellationToken) != row.Method ? "the 2FA method changed"
            : null;
        if (voided is not null)
        {
            await db.PendingSignIns.Where(p => p.Id == row.Id).ExecuteDeleteAsync(cancellationToken);
            logger.LogWarning("Refused the pending sign-in of user {UserId}: {Reason} since the password step", row.UserId, voided);
            return null;
        }
        return new ValidPendingSignIn(row, user!);
    }

    /// <summary>Ends the pending sign-in; true only for the one caller that ended it (single use under races).</summary>
    public async Task<bool> CompleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.Where(p => p.Id == id && p.ExpiresAt > now).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>Abandons a browser's pending sign-in (a client's is never ended through a browser key).</summary>
    public async Task CancelAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (IdOf(key) is { } id)
        {
            await db.PendingSignIns.Where(p => p.Id == id && p.Client == SignInClient.Browser).ExecuteDeleteAsync(cancellationToken);
        }
    }

    public Task CancelByIdAsync(string id, CancellationToken cancellationToken = default) =>
        db.PendingSignIns.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>True while the row is unexpired (the email step tells "code voided" from "sign-in over").</summary>
    public async Task<bool> IsOpenAsync(string id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.AnyAsync(p => p.Id == id && p.ExpiresAt > now && p.AbsoluteExpiresAt > now, cancellationToken);
    }

    /// <summary>The unexpired pending sign-in of a RustDesk client for its <c>secret</c>, or null.</summary>
    public Task<PendingSignIn?> FindClientSignInAsync(string? secret, CancellationToken cancellationToken = default) =>
        FindRowByIdAsync(IdOf(secret), SignInClient.RustDeskClient, cancellationToken);

    /// <summary>
    /// The newest unexpired pending sign-in of the user started by the RustDesk client with this <c>id</c> and <c>uuid</c>:
    /// how older clients, which send no <c>secret</c>, continue their sign-in.
    /// </summary>
    public async Task<PendingSignIn?> FindClientSignInAsync(string userId, string clientId, string clientUuid,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.AsNoTracking()
            .Where(p => p.UserId == userId && p.Client == SignInClient.RustDeskClient && p.ClientId == clientId && p.ClientUuid == clientUuid
                && p.ExpiresAt > now && p.AbsoluteExpiresAt > now)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    private static string? IdOf(string? key) => string.IsNullOrEmpty(key) || key.Length > 128 ? null : OpaqueKey.Hash(key);

    private async Task<PendingSignIn?> FindRowByIdAsync(string? id, SignInClient client, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == id && p.Client == client && p.ExpiresAt > now && p.AbsoluteExpiresAt > now, cancellationToken);
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
