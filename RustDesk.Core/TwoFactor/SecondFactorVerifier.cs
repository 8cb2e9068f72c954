using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor;

/// <summary>
/// The one place a second factor is checked, for sign-in, re-verification and disabling 2FA alike: a TOTP code
/// within ±1 step, accepted once per step, or a backup code, consumed.
/// </summary>
public enum SecondFactorResult
{
    Succeeded,
    SucceededWithBackupCode,
    InvalidFormat,
    Wrong,
    /// <summary>A TOTP code for a time step at or before the last accepted one (RFC 6238 §5.2).</summary>
    Replayed,
    NotEnabled,
    /// <summary>Disabling: the account is locked out (this wrong code locked it, or it already was); the session was ended.</summary>
    LockedOut,
    /// <summary>Disabling: the session is gone (revoked, expired, ended by a lockout) or not this user's.</summary>
    SessionEnded,
}

public sealed class SecondFactorVerifier(
    ConsoleDbContext db,
    TotpSecretProtector protector,
    BackupCodeService backupCodes,
    Notifications.SecurityNotifier notifier,
    TimeProvider time,
    ILogger<SecondFactorVerifier> logger)
{
    /// <summary>"Is 2FA on" for one user: an authenticator app (TOTP) or at least one passkey (<see cref="TwoFactorOn"/>).</summary>
    public Task<bool> IsEnabledAsync(string userId, CancellationToken cancellationToken = default) =>
        db.UserIdsWithTwoFactor().AnyAsync(id => id == userId, cancellationToken);

    /// <summary>Whether the user has TOTP (a code field makes sense).</summary>
    public Task<bool> HasTotpAsync(string userId, CancellationToken cancellationToken = default) =>
        db.TotpAuthenticators.AnyAsync(a => a.UserId == userId, cancellationToken);

    /// <summary>Whether the user has at least one passkey.</summary>
    public Task<bool> HasPasskeyAsync(string userId, CancellationToken cancellationToken = default) =>
        db.PasskeyCredentials.AnyAsync(p => p.UserId == userId, cancellationToken);

    /// <summary>
    /// Checks a TOTP code (±1 step, each step accepted once, compare-and-set in the database) or a backup code
    /// (consumed). The caller counts a <see cref="SecondFactorResult.Wrong"/> or replay toward lockout.
    /// </summary>
    public async Task<SecondFactorResult> VerifyAsync(string userId, string? input, Notifications.EventOrigin? origin = null,
        CancellationToken cancellationToken = default)
    {
        var code = SecondFactorCode.Parse(input);
        if (code.Kind == SecondFactorKind.Invalid)
        {
            return SecondFactorResult.InvalidFormat;
        }
        var authenticator = await db.TotpAuthenticators.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (authenticator is null)
        {
            return SecondFactorResult.NotEnabled;
        }
        if (code.Kind == SecondFactorKind.BackupCode)
        {
            if (!await backupCodes.TryConsumeAsync(userId, code.Digits, cancellationToken))
            {
                return SecondFactorResult.Wrong;
            }
            logger.LogInformation("User {UserId} used a backup code", userId);
            await notifier.NotifyAsync(userId, Notifications.SecurityEvent.BackupCodeUsed, origin,
                await backupCodes.CountUnusedAsync(userId, cancellationToken), cancellationToken: cancellationToken);
            return SecondFactorResult.SucceededWithBackupCode;
        }
        var step = TotpAlgorithm.Default.Match(protector.Unprotect(authenticator.ProtectedSecret), code.Digits, time.GetUtcNow());
        if (step is null)
        {
            return SecondFactorResult.Wrong;
        }
        var accepted = await db.TotpAuthenticators
            .Where(a => a.UserId == userId && a.LastAcceptedStep < step)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.LastAcceptedStep, step.Value), cancellationToken);
        if (accepted == 0)
        {
            logger.LogWarning("Refused a replayed TOTP code for user {UserId} (time step {Step} already used)", userId, step);
            await notifier.NotifyAsync(userId, Notifications.SecurityEvent.TotpReplayRefused, origin, cancellationToken: cancellationToken);
            return SecondFactorResult.Replayed;
        }
        return SecondFactorResult.Succeeded;
    }
}
