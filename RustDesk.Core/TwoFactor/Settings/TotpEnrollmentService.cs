using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor.Settings;

/// <summary>What the enable dialog shows.</summary>
public sealed record TotpEnrollmentView(string SecretBase32, string SecretGrouped, string OtpAuthUri, string QrDataUri, DateTime ExpiresAt, bool IsRenewal);

public enum EnrollmentStatus
{
    Enabled,
    InvalidCode,
    WrongCode,
    /// <summary>No open dialog of this session: never started here, cancelled, expired, already confirmed (double click) or too many wrong codes.</summary>
    NotStarted,
    TooManyAttempts,
    /// <summary>The account is locked out (this wrong code locked it, or it already was); the session was ended.</summary>
    LockedOut,
    /// <summary>The session is gone (revoked, expired, ended by a lockout) or not this user's.</summary>
    SessionEnded,
}

public sealed record EnrollmentResult(EnrollmentStatus Status, IReadOnlyList<string>? BackupCodes = null);

/// <summary>Opening the enable or renew dialog: the key to show, or "re-verify first" (nothing was created).</summary>
public sealed record EnrollmentStart(bool ReVerificationRequired, TotpEnrollmentView? View = null) : ReVerification.IProtectedChangeResult;

/// <summary>
/// Enabling and renewing TOTP. Opening the dialog is the protected change: it needs a re-verification grant of
/// this session (the password while 2FA is off, a code while it is on), so a stolen cookie cannot enroll an
/// attacker's authenticator. The pending key lives in the database for <see cref="TwoFactorOptions.EnrollmentLifetimeMinutes"/>,
/// belongs to the session that opened the dialog (a fresh one per opening), survives wrong codes and is discarded by
/// Cancel. Wrong codes count toward the enrollment's own limit and the account's lockout. Confirming is one
/// transaction: key, backup codes, security stamp. While renewing, the old key keeps working until the new one is confirmed.
/// </summary>
public sealed class TotpEnrollmentService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    TotpSecretProtector protector,
    BackupCodeService backupCodes,
    TwoFactorService twoFactor,
    SecondFactorVerifier verifier,
    SessionGuard guard,
    ReVerification.ReVerificationPolicy policy,
    ReVerification.FailedProofs failures,
    Notifications.SecurityNotifier notifier,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ILogger<TotpEnrollmentService> logger)
{
    /// <summary>Starts an enrollment with a fresh key for this session, once the policy is satisfied.</summary>
    public async Task<EnrollmentStart> StartAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        var userName = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).SingleAsync(cancellationToken);
        // Renewal replaces a TOTP key; a user with passkeys only enables TOTP (2FA is already on).
        var renewal = await verifier.HasTotpAsync(userId, cancellationToken);
        var decision = await policy.DecideAsync(userId, sessionId,
            renewal ? ReVerification.ProtectedChange.RenewTwoFactor : ReVerification.ProtectedChange.EnableTwoFactor, cancellationToken);
        if (decision.ReVerificationRequired || decision.Unavailable)
        {
            return new(decision.ReVerificationRequired);
        }
        var now = time.GetUtcNow().UtcDateTime;
        // Each opening shows a fresh key: this session's earlier one goes, and so do the user's expired ones.
        await db.TotpEnrollments.Where(e => e.SessionId == sessionId || (e.UserId == userId && e.ExpiresAt <= now))
            .ExecuteDeleteAsync(cancellationToken);
        var pending = new TotpEnrollment
        {
            SessionId = sessionId!,
            UserId = userId,
            ProtectedSecret = protector.Protect(TotpSecret.Generate()),
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.EnrollmentLifetimeMinutes),
        };
        db.TotpEnrollments.Add(pending);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two tabs of the same session opened the dialog at once; the other one's key is shown here too.
            db.ChangeTracker.Clear();
            pending = await db.TotpEnrollments.AsNoTracking().SingleAsync(e => e.SessionId == sessionId, cancellationToken);
        }
        var base32 = TotpSecret.ToBase32(protector.Unprotect(pending.ProtectedSecret));
        var uri = TotpSecret.ToUri(options.Value.Issuer, userName!, base32);
        return new(false, new TotpEnrollmentView(base32, TotpSecret.Grouped(base32), uri, TotpQrCode.ToPngDataUri(uri), pending.ExpiresAt, renewal));
    }

    /// <summary>Discards this session's pending key (the dialog's Cancel).</summary>
    public async Task CancelAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        await db.TotpEnrollments.Where(e => e.SessionId == sessionId && e.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<EnrollmentResult> ConfirmAsync(string userId, string? currentSessionId, string? code,
        bool signOutOtherDevices = true, CancellationToken cancellationToken = default)
    {
        if (!await guard.IsOpenAsync(userId, currentSessionId, SessionAccess.Enrollment, cancellationToken))
        {
            return new(EnrollmentStatus.SessionEnded);
        }
        if (!SecondFactorCode.IsTotpCode(code))
        {
            return new(EnrollmentStatus.InvalidCode);
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return new(EnrollmentStatus.SessionEnded);
        }
        // Renewal replaces a TOTP key; a user with passkeys only enables TOTP (2FA is already on).
        var renewal = await verifier.HasTotpAsync(userId, cancellationToken);
        var proofStep = renewal ? ReVerification.ProofSteps.RenewTwoFactor : ReVerification.ProofSteps.EnableTwoFactor;
        if (await failures.BeginAsync(user, currentSessionId, proofStep, cancellationToken) is not { } attempt)
        {
            return new(EnrollmentStatus.LockedOut);
        }
        var now = time.GetUtcNow();
        var pending = await db.TotpEnrollments.AsNoTracking()
            .SingleOrDefaultAsync(e => e.SessionId == currentSessionId && e.UserId == userId, cancellationToken);
        if (pending is null)
        {
            // This session was never shown a key: a code for another session's key, or a replayed confirmation.
            return new(await failures.FailedAsync(attempt, cancellationToken) ? EnrollmentStatus.LockedOut : EnrollmentStatus.NotStarted);
        }
        if (pending.ExpiresAt <= now.UtcDateTime)
        {
            await failures.SucceededAsync(attempt, cancellationToken);
            return new(EnrollmentStatus.NotStarted);
        }
        var key = protector.Unprotect(pending.ProtectedSecret);
        var step = TotpAlgorithm.Default.Match(key, code!, now);
        if (step is null)
        {
            var attempts = await RecordWrongCodeAsync(pending, cancellationToken);
            return await failures.FailedAsync(attempt, cancellationToken) ? new(EnrollmentStatus.LockedOut) : attempts;
        }
        // The code is right for the key this session was shown: not a guess, whichever confirmation wins the claim.
        await failures.SucceededAsync(attempt, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claiming the enrollment decides which of two racing confirmations (a double click) wins.
        var claimed = await db.TotpEnrollments
            .Where(e => e.SessionId == pending.SessionId && e.ProtectedSecret == pending.ProtectedSecret)
            .ExecuteDeleteAsync(cancellationToken);
        if (claimed != 1)
        {
            return new(EnrollmentStatus.NotStarted);
        }
        var nowUtc = now.UtcDateTime;
        var authenticator = await db.TotpAuthenticators.SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (authenticator is null)
        {
            authenticator = new TotpAuthenticator { UserId = userId, EnabledAt = nowUtc };
            db.TotpAuthenticators.Add(authenticator);
        }
        authenticator.ProtectedSecret = pending.ProtectedSecret;
        authenticator.SecretChangedAt = nowUtc;
        // The code that confirmed the key is spent: it cannot be replayed at the next sign-in.
        authenticator.LastAcceptedStep = step.Value;
        var codes = await backupCodes.ReplaceAsync(userId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await twoFactor.ChangeSecurityStampAsync(userId, currentSessionId, signOutOtherDevices, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("User {UserId} enabled TOTP 2FA (renewal: {Renewal})", userId, renewal);
        await notifier.NotifyAsync(userId, renewal ? Notifications.SecurityEvent.TwoFactorRenewed : Notifications.SecurityEvent.TwoFactorEnabled,
            await notifier.OriginOfSessionAsync(currentSessionId, cancellationToken), cancellationToken: cancellationToken);
        return new(EnrollmentStatus.Enabled, codes);
    }

    private async Task<EnrollmentResult> RecordWrongCodeAsync(TotpEnrollment pending, CancellationToken cancellationToken)
    {
        var max = options.Value.EnrollmentMaxAttempts;
        await db.TotpEnrollments.Where(e => e.SessionId == pending.SessionId && e.ProtectedSecret == pending.ProtectedSecret)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.FailedAttempts, e => e.FailedAttempts + 1), cancellationToken);
        var discarded = await db.TotpEnrollments
            .Where(e => e.SessionId == pending.SessionId && e.ProtectedSecret == pending.ProtectedSecret && e.FailedAttempts >= max)
            .ExecuteDeleteAsync(cancellationToken);
        if (discarded > 0)
        {
            logger.LogWarning("Discarded the pending TOTP key of user {UserId} after {Attempts} wrong codes", pending.UserId, max);
            return new(EnrollmentStatus.TooManyAttempts);
        }
        return new(EnrollmentStatus.WrongCode);
    }
}
