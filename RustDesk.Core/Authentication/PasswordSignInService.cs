using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Authentication;

public enum PasswordCheckStatus
{
    Succeeded,
    /// <summary>Unknown user or wrong password: the two are never told apart.</summary>
    Failed,
    LockedOut,
    Disabled,
}

public sealed record PasswordCheckResult(PasswordCheckStatus Status, ConsoleUser? User = null, DateTimeOffset? LockedOutUntil = null);

/// <summary>
/// The password step of signing in. Every failure counts toward lockout; an unknown user name costs the same
/// hash computation as a wrong password, so neither the answer nor its timing tells whether a name exists.
/// A disabled account is only named after the right password.
/// Lockout uses Identity's columns but is counted here, with atomic updates and the injected clock (Identity's
/// own lockout reads the system clock and counts with a read-then-write).
/// </summary>
public sealed class PasswordSignInService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    IPasswordHasher<ConsoleUser> hasher,
    IOptions<AccountOptions> options,
    Audit.AuditLog audit,
    Alarms.AlarmService alarms,
    TimeProvider time,
    ILogger<PasswordSignInService> logger)
{
    public const int MaxInputLength = 512;
    private static readonly ConsoleUser Nobody = new();
    private string? _dummyHash;

    public async Task<PasswordCheckResult> CheckAsync(string? userName, string? password, string? ipAddress = null, string? userAgent = null)
    {
        var result = await CheckCoreAsync(userName, password);
        var kind = result.Status switch
        {
            PasswordCheckStatus.Failed => Audit.AuditKinds.SignInFailed,
            PasswordCheckStatus.LockedOut => Audit.AuditKinds.SignInLockedOut,
            PasswordCheckStatus.Disabled => Audit.AuditKinds.SignInFailed,
            _ => null,
        };
        if (kind is not null)
        {
            // The attempted name is recorded only when it is a real account (a mistyped password in the name
            // field must not end up in the log).
            var known = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == users.NormalizeName(userName ?? ""))
                .Select(u => new { u.Id, u.UserName }).SingleOrDefaultAsync();
            await audit.AppendAsync(kind, known?.Id, known?.UserName ?? "(unknown user name)", known?.Id, known?.UserName,
                result.Status == PasswordCheckStatus.Disabled ? "account disabled" : "password step", ipAddress, userAgent);
            await alarms.CheckAsync(known?.Id, known?.UserName);
        }
        return result;
    }

    private async Task<PasswordCheckResult> CheckCoreAsync(string? userName, string? password)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password)
            || userName.Length > MaxInputLength || password.Length > MaxInputLength)
        {
            return new(PasswordCheckStatus.Failed);
        }
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            BurnEquivalentTime(password);
            logger.LogInformation("Sign-in failed for an unknown user name");
            return new(PasswordCheckStatus.Failed);
        }
        if (IsLockedOut(user))
        {
            BurnEquivalentTime(password);
            logger.LogWarning("Sign-in refused for locked-out user {UserId}", user.Id);
            return new(PasswordCheckStatus.LockedOut, null, user.LockoutEnd);
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            return await CountFailureAsync(user);
        }
        if (user.Status != UserStatus.Active)
        {
            logger.LogWarning("Sign-in refused for disabled user {UserId}", user.Id);
            return new(PasswordCheckStatus.Disabled);
        }
        logger.LogInformation("User {UserId} passed the password step", user.Id);
        return new(PasswordCheckStatus.Succeeded, user);
    }

    /// <summary>Counts a failed second step (TOTP, backup code, emailed code, re-verification) toward the account's lockout.</summary>
    public async Task<PasswordCheckResult> RecordFailureAsync(ConsoleUser user, string step = "second step",
        Notifications.EventOrigin? origin = null)
    {
        var result = await CountFailureAsync(user);
        await audit.AppendAsync(result.Status == PasswordCheckStatus.LockedOut ? Audit.AuditKinds.SignInLockedOut : Audit.AuditKinds.SignInFailed,
            user.Id, user.UserName ?? "", user.Id, user.UserName, step, origin?.IpAddress, origin?.UserAgent);
        await alarms.CheckAsync(user.Id, user.UserName);
        return result;
    }

    private async Task<PasswordCheckResult> CountFailureAsync(ConsoleUser user)
    {
        var id = user.Id;
        var max = options.Value.LockoutFailures;
        await db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, x => x.AccessFailedCount + 1));
        var until = time.GetUtcNow().AddMinutes(options.Value.LockoutMinutes);
        // Only the request that crosses the threshold sets the lockout; racing requests see the count reset.
        var locked = await db.Users.Where(u => u.Id == id && u.AccessFailedCount >= max)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, 0).SetProperty(x => x.LockoutEnd, until));
        if (locked > 0)
        {
            logger.LogWarning("User {UserId} locked out until {LockoutEnd} after {Failures} failures", id, until, max);
            return new(PasswordCheckStatus.LockedOut, null, until);
        }
        logger.LogInformation("Sign-in step failed for user {UserId}", id);
        return new(PasswordCheckStatus.Failed);
    }

    /// <summary>True while the account's lockout lasts, by the injected clock.</summary>
    public bool IsLockedOut(ConsoleUser user) => user.LockoutEnd is { } end && end > time.GetUtcNow();

    /// <summary>Clears the failure count once every step of a sign-in has succeeded.</summary>
    public async Task CompleteAsync(ConsoleUser user)
    {
        var id = user.Id;
        await db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, 0).SetProperty(x => x.LockoutEnd, (DateTimeOffset?)null));
    }

    /// <summary>Remaining lockout, rounded up to whole minutes, for the sign-in page.</summary>
    public int MinutesLeft(DateTimeOffset? until)
    {
        if (until is null)
        {
            return 0;
        }
        var left = until.Value - time.GetUtcNow();
        return left <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(left.TotalMinutes);
    }

    private void BurnEquivalentTime(string password)
    {
        _dummyHash ??= hasher.HashPassword(Nobody, "not a password of anyone");
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
    }
}
