using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor;

public enum TwoFactorState
{
    NotEnabled,
    Enabled,
    Expired,
}

public sealed record TwoFactorStatus(TwoFactorState State, DateTime? SecretChangedAt, DateTime? ExpiresAt, bool RenewalReminder, int UnusedBackupCodes);

public enum BackupCodesStatus
{
    Generated,
    NotEnabled,
    ReVerificationRequired,
}

public sealed record BackupCodesResult(BackupCodesStatus Status, IReadOnlyList<string>? Codes = null);

public enum SecondFactorResult
{
    Succeeded,
    SucceededWithBackupCode,
    InvalidFormat,
    Wrong,
    /// <summary>A TOTP code for a time step at or before the last accepted one (RFC 6238 §5.2).</summary>
    Replayed,
    NotEnabled,
}

/// <summary>A user's TOTP 2FA: its state, checking a code or backup code, disabling, new backup codes.</summary>
public sealed class TwoFactorService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    SecondFactorVerifier verifier,
    BackupCodeService backupCodes,
    SessionService sessions,
    ReVerification.ReVerificationService reVerification,
    Notifications.SecurityNotifier notifier,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ILogger<TwoFactorService> logger)
{
    public Task<bool> IsEnabledAsync(string userId, CancellationToken cancellationToken = default) =>
        verifier.IsEnabledAsync(userId, cancellationToken);

    /// <summary>True while staff enforce 2FA for the user and the user has not enrolled: the console shows only enrolment.</summary>
    public async Task<bool> MustEnrolAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnforced, cancellationToken)
        && !await verifier.IsEnabledAsync(userId, cancellationToken);

    public async Task<TwoFactorStatus> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        var changedAt = await db.TotpAuthenticators.Where(a => a.UserId == userId)
            .Select(a => (DateTime?)a.SecretChangedAt).SingleOrDefaultAsync(cancellationToken);
        if (changedAt is null)
        {
            return new TwoFactorStatus(TwoFactorState.NotEnabled, null, null, false, 0);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = changedAt.Value.AddDays(options.Value.ExpiryDays);
        var state = now >= expiresAt ? TwoFactorState.Expired : TwoFactorState.Enabled;
        var reminder = state == TwoFactorState.Enabled && now >= expiresAt.AddDays(-options.Value.ReminderDays);
        var unused = await backupCodes.CountUnusedAsync(userId, cancellationToken);
        return new TwoFactorStatus(state, changedAt, expiresAt, reminder, unused);
    }

    /// <summary>Checks a TOTP code or backup code; see <see cref="SecondFactorVerifier.VerifyAsync"/>.</summary>
    public Task<SecondFactorResult> VerifyAsync(string userId, string? input, CancellationToken cancellationToken = default) =>
        verifier.VerifyAsync(userId, input, null, cancellationToken);

    /// <summary>Turns 2FA off after a valid code or backup code; all in one transaction.</summary>
    public async Task<SecondFactorResult> DisableAsync(string userId, string? currentSessionId, string? code,
        bool signOutOtherDevices = true, CancellationToken cancellationToken = default)
    {
        var origin = await notifier.OriginOfSessionAsync(currentSessionId, cancellationToken);
        var verified = await verifier.VerifyAsync(userId, code, origin, cancellationToken);
        if (verified is not (SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode))
        {
            return verified;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TotpAuthenticators.Where(a => a.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.BackupCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.TotpEnrollments.Where(e => e.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await ChangeSecurityStampAsync(userId, currentSessionId, signOutOtherDevices, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("User {UserId} disabled 2FA", userId);
        await notifier.NotifyAsync(userId, Notifications.SecurityEvent.TwoFactorDisabled, origin, cancellationToken: cancellationToken);
        return verified;
    }

    /// <summary>
    /// Voids every backup code and returns six new ones (shown once). Needs a fresh re-verification of this session.
    /// </summary>
    public async Task<BackupCodesResult> RegenerateBackupCodesAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        if (!await IsEnabledAsync(userId, cancellationToken))
        {
            return new(BackupCodesStatus.NotEnabled);
        }
        if (!await reVerification.TryUseGrantAsync(userId, sessionId, cancellationToken))
        {
            return new(BackupCodesStatus.ReVerificationRequired);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var codes = await backupCodes.ReplaceAsync(userId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("User {UserId} generated new backup codes", userId);
        await notifier.NotifyAsync(userId, Notifications.SecurityEvent.BackupCodesGenerated,
            await notifier.OriginOfSessionAsync(sessionId, cancellationToken), cancellationToken: cancellationToken);
        return new(BackupCodesStatus.Generated, codes);
    }

    /// <summary>New security stamp; the current session follows it, other sessions end unless kept.</summary>
    internal async Task ChangeSecurityStampAsync(string userId, string? currentSessionId, bool signOutOtherDevices, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("User vanished during a 2FA change.");
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not change the security stamp: " + string.Join(",", result.Errors.Select(e => e.Code)));
        }
        if (signOutOtherDevices)
        {
            await sessions.KeepOnlyCurrentAsync(userId, currentSessionId, user.SecurityStamp!, cancellationToken);
        }
        else
        {
            await sessions.MoveAllToStampAsync(userId, user.SecurityStamp!, cancellationToken);
        }
    }
}
