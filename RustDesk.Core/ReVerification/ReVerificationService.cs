using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.ReVerification;

public enum ReVerificationMethod
{
    /// <summary>2FA is on: a current TOTP code or a backup code.</summary>
    SecondFactor,
    /// <summary>2FA is off: the current password.</summary>
    Password,
}

public enum ReVerifyStatus
{
    Verified,
    InvalidFormat,
    Wrong,
    /// <summary>The account locked; the session was signed out.</summary>
    LockedOut,
    /// <summary>The session is not this user's, revoked or expired.</summary>
    SessionInvalid,
}

/// <summary>
/// "Changing account settings requires an additional verification." One success is a grant bound to the user and
/// the session, valid for <see cref="TwoFactorOptions.ReVerificationMinutes"/> (0 = for one change). Services that
/// change settings call <see cref="TryUseGrantAsync"/> themselves, so a stolen cookie alone changes nothing, whatever
/// page or endpoint calls them. Codes follow the sign-in rules (±1 step, no replay, backup codes consumed) and
/// failures count toward lockout; a lockout signs the session out.
/// </summary>
public sealed class ReVerificationService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    Notifications.SecurityNotifier notifier,
    Audit.AuditLog audit,
    SecondFactorVerifier twoFactor,
    PasswordSignInService passwords,
    SessionService sessions,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ILogger<ReVerificationService> logger)
{
    /// <summary>A grant for "every change" (0 minutes) has to be used within this time (long enough to scan a QR code).</summary>
    private static readonly TimeSpan SingleUseWindow = TimeSpan.FromMinutes(10);

    public async Task<ReVerificationMethod> MethodAsync(string userId, CancellationToken cancellationToken = default) =>
        await twoFactor.IsEnabledAsync(userId, cancellationToken) ? ReVerificationMethod.SecondFactor : ReVerificationMethod.Password;

    /// <summary>True when the session holds an unexpired grant (the UI then skips the modal).</summary>
    public async Task<bool> HasGrantAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return sessionId is not null && await db.Sessions.AnyAsync(
            s => s.Id == sessionId && s.UserId == userId && s.ReVerifiedUntil > now && s.ExpiresAt > now, cancellationToken);
    }

    public async Task<ReVerifyStatus> VerifyAsync(string userId, string? sessionId, string? input, CancellationToken cancellationToken = default)
    {
        if (!await sessions.IsValidAsync(sessionId, userId, cancellationToken))
        {
            logger.LogWarning("Re-verification refused for user {UserId}: session not valid", userId);
            return ReVerifyStatus.SessionInvalid;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return ReVerifyStatus.SessionInvalid;
        }
        bool ok;
        if (await twoFactor.IsEnabledAsync(userId, cancellationToken))
        {
            var origin = await notifier.OriginOfSessionAsync(sessionId, cancellationToken);
            var result = await twoFactor.VerifyAsync(userId, input, origin, cancellationToken);
            if (result == SecondFactorResult.InvalidFormat)
            {
                return ReVerifyStatus.InvalidFormat;
            }
            ok = result is SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode;
        }
        else
        {
            if (string.IsNullOrEmpty(input) || input.Length > PasswordSignInService.MaxInputLength)
            {
                return ReVerifyStatus.InvalidFormat;
            }
            ok = await users.CheckPasswordAsync(user, input);
        }
        if (!ok)
        {
            var failure = await passwords.RecordFailureAsync(user, "re-verification");
            logger.LogWarning("Re-verification failed for user {UserId}", userId);
            if (failure.Status == PasswordCheckStatus.LockedOut)
            {
                await db.Sessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(cancellationToken);
                return ReVerifyStatus.LockedOut;
            }
            return ReVerifyStatus.Wrong;
        }
        var minutes = options.Value.ReVerificationMinutes;
        var until = time.GetUtcNow().UtcDateTime + (minutes == 0 ? SingleUseWindow : TimeSpan.FromMinutes(minutes));
        await db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ReVerifiedUntil, until), cancellationToken);
        logger.LogInformation("User {UserId} re-verified", userId);
        var from = await notifier.OriginOfSessionAsync(sessionId, cancellationToken);
        await audit.AppendAsync(Audit.AuditKinds.ReVerified, userId, user.UserName ?? "", userId, user.UserName, null,
            from.IpAddress, from.UserAgent, cancellationToken);
        return ReVerifyStatus.Verified;
    }

    /// <summary>
    /// Called by every service that changes protected settings: true when this user's session holds a grant. With
    /// <c>ReVerificationMinutes = 0</c> the grant is spent by this change (a conditional update decides).
    /// </summary>
    public async Task<bool> TryUseGrantAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        if (sessionId is null)
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var mine = db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId && s.ReVerifiedUntil > now && s.ExpiresAt > now);
        if (options.Value.ReVerificationMinutes == 0)
        {
            return await mine.ExecuteUpdateAsync(u => u.SetProperty(s => s.ReVerifiedUntil, (DateTime?)null), cancellationToken) == 1;
        }
        return await mine.AnyAsync(cancellationToken);
    }
}
