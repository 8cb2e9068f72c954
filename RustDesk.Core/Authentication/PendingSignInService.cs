using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Security;

namespace RustDesk.Core.Authentication;

/// <summary>What the second-step pages need to know about a pending sign-in.</summary>
public sealed record PendingSignInInfo(string Id, string UserId, SecondFactorMethod Method, bool IsPersistent, DateTime ExpiresAt,
    string IpAddress = "", string UserAgent = "", string? DeviceHash = null);

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
        await db.TotpAuthenticators.AnyAsync(a => a.UserId == user.Id, cancellationToken)
            || await db.PasskeyCredentials.AnyAsync(p => p.UserId == user.Id, cancellationToken) ? SecondFactorMethod.Totp
        : EmailSignInService.Applies(user) ? SecondFactorMethod.Email
        : null;

    /// <summary>
    /// Starts a pending sign-in and returns the browser's key. Earlier pending sign-ins of the user end. The step lasts
    /// <paramref name="lifetime"/>, at most <see cref="AbsoluteLifetime"/>.
    /// </summary>
    public async Task<string> CreateAsync(ConsoleUser user, SecondFactorMethod method, bool persistent, TimeSpan lifetime,
        string? ipAddress, string? userAgent, string? deviceHash = null, CancellationToken cancellationToken = default)
    {
        var key = OpaqueKey.New();
        var now = time.GetUtcNow().UtcDateTime;
        await db.PendingSignIns.Where(p => p.UserId == user.Id || p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
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
        });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>The unexpired pending sign-in for a browser key, or null (unknown, forged, expired or finished).</summary>
    public async Task<PendingSignInInfo?> FindAsync(string? key, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(key, cancellationToken);
        return row is null ? null
            : new PendingSignInInfo(row.Id, row.UserId, row.Method, row.IsPersistent, row.ExpiresAt, row.IpAddress, row.UserAgent, row.DeviceHash);
    }

    /// <summary>
    /// The pending sign-in for a browser key when it is for <paramref name="method"/> and may still be finished: the user
    /// is active, has the security stamp of the password step and still needs that method. Otherwise null, and a sign-in
    /// voided by such a change is deleted.
    /// </summary>
    public async Task<ValidPendingSignIn?> FindValidAsync(string? key, SecondFactorMethod method, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(key, cancellationToken);
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

    public async Task CancelAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(key) && key.Length <= 128)
        {
            await CancelByIdAsync(OpaqueKey.Hash(key), cancellationToken);
        }
    }

    public Task CancelByIdAsync(string id, CancellationToken cancellationToken = default) =>
        db.PendingSignIns.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);

    private async Task<PendingSignIn?> FindRowAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 128)
        {
            return null;
        }
        var id = OpaqueKey.Hash(key);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.ExpiresAt > now && p.AbsoluteExpiresAt > now,
            cancellationToken);
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
