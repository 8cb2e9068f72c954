using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor.BackupCodes;

namespace RustDesk.Core.TwoFactor.Settings;

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

public sealed record BackupCodesResult(BackupCodesStatus Status, IReadOnlyList<string>? Codes = null) : ReVerification.IProtectedChangeResult
{
    public bool ReVerificationRequired => Status == BackupCodesStatus.ReVerificationRequired;
}

/// <summary>A user's TOTP 2FA: its state, checking a code or backup code, disabling, new backup codes.</summary>
public sealed class TwoFactorService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    SecondFactorVerifier verifier,
    BackupCodeService backupCodes,
    SessionService sessions,
    SessionGuard guard,
    ReVerification.ReVerificationPolicy policy,
    ReVerification.FailedProofs failures,
    Notifications.SecurityNotifier notifier,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ILogger<TwoFactorService> logger)
{
    /// <summary>
    /// True while staff enforce 2FA for the user and the user has not enrolled: the console shows only enrollment
    /// (asked per request by the web's middleware; circuit calls get it from <see cref="SessionGuard"/>).
    /// </summary>
    public Task<bool> MustEnrollAsync(string userId, CancellationToken cancellationToken = default) =>
        guard.MustEnrollAsync(userId, cancellationToken);

    /// <summary>The 2FA state as the settings page and the reminders show it, for a page of this user's session.</summary>
    public async Task<TwoFactorStatus> GetStatusAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        return await GetStatusAsync(userId, cancellationToken);
    }

    /// <summary>The state without a session (the sign-in step counting backup codes; tests).</summary>
    internal async Task<TwoFactorStatus> GetStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        var changedAt = await db.TotpAuthenticators.Where(a => a.UserId == userId)
            .Select(a => (DateTime?)a.SecretChangedAt).SingleOrDefaultAsync(cancellationToken);
        if (changedAt is null)
        {
            // Passkeys alone are 2FA on; they have no key age, so never expire.
            return await verifier.HasPasskeyAsync(userId, cancellationToken)
                ? new TwoFactorStatus(TwoFactorState.Enabled, null, null, false, 0)
                : new TwoFactorStatus(TwoFactorState.NotEnabled, null, null, false, 0);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = changedAt.Value.AddDays(options.Value.ExpiryDays);
        var state = now >= expiresAt ? TwoFactorState.Expired : TwoFactorState.Enabled;
        var reminder = state == TwoFactorState.Enabled && now >= expiresAt.AddDays(-options.Value.ReminderDays);
        var unused = await backupCodes.CountUnusedAsync(userId, cancellationToken);
        return new TwoFactorStatus(state, changedAt, expiresAt, reminder, unused);
    }

    /// <summary>
    /// Turns 2FA off after a valid code or backup code in the same request (<see cref="ReVerification.ProtectedChange.DisableTwoFactor"/>);
    /// all in one transaction. A wrong code is a counted guess (<see cref="ReVerification.FailedProofs"/>).
    /// </summary>
    public async Task<SecondFactorResult> DisableAsync(string userId, string? currentSessionId, string? code,
        bool signOutOtherDevices = true, CancellationToken cancellationToken = default)
    {
        if (!await guard.IsOpenAsync(userId, currentSessionId, cancellationToken: cancellationToken))
        {
            return SecondFactorResult.SessionEnded;
        }
        var decision = await policy.DecideAsync(userId, currentSessionId, ReVerification.ProtectedChange.DisableTwoFactor, cancellationToken);
        if (decision.Unavailable)
        {
            return SecondFactorResult.NotEnabled;
        }
        if (SecondFactorCode.Parse(code).Kind == SecondFactorKind.Invalid)
        {
            return SecondFactorResult.InvalidFormat;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return SecondFactorResult.SessionEnded;
        }
        if (await failures.BeginAsync(user, currentSessionId, ReVerification.ProofSteps.DisableTwoFactor, cancellationToken) is not { } attempt)
        {
            return SecondFactorResult.LockedOut;
        }
        var origin = attempt.Origin;
        var verified = await verifier.VerifyAsync(userId, code, origin, cancellationToken);
        if (verified is SecondFactorResult.Wrong or SecondFactorResult.Replayed)
        {
            return await failures.FailedAsync(attempt, cancellationToken) ? SecondFactorResult.LockedOut : verified;
        }
        await failures.SucceededAsync(attempt, cancellationToken);
        if (verified is not (SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode))
        {
            return verified;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TwoFactorRemoval.RemoveAllAsync(db, userId, cancellationToken);
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
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        var decision = await policy.DecideAsync(userId, sessionId, ReVerification.ProtectedChange.RegenerateBackupCodes, cancellationToken);
        if (decision.Unavailable)
        {
            return new(BackupCodesStatus.NotEnabled);
        }
        if (decision.ReVerificationRequired)
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
        await sessions.FollowNewStampAsync(userId, currentSessionId, user.SecurityStamp!, signOutOtherDevices, cancellationToken);
    }
}
