using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor.BackupCodes;

namespace RustDesk.Core.TwoFactor.Totp;

/// <summary>What the enable dialog shows.</summary>
public sealed record TotpEnrollmentView(string SecretBase32, string SecretGrouped, string OtpAuthUri, string QrDataUri, DateTime ExpiresAt, bool IsRenewal);

public enum EnrollmentStatus
{
    Enabled,
    InvalidCode,
    WrongCode,
    /// <summary>No open dialog: never started, cancelled, expired, already confirmed (double click) or too many wrong codes.</summary>
    NotStarted,
    TooManyAttempts,
    /// <summary>Renewing replaces a working key: it needs a fresh re-verification of this session.</summary>
    ReVerificationRequired,
}

public sealed record EnrollmentResult(EnrollmentStatus Status, IReadOnlyList<string>? BackupCodes = null);

/// <summary>
/// Enabling and renewing TOTP. The pending key lives in the database (not in the page) for
/// <see cref="TwoFactorOptions.EnrollmentLifetimeMinutes"/>, survives wrong codes, and is discarded by Cancel.
/// Confirming is one transaction: key, backup codes, security stamp — never 2FA without codes or the reverse.
/// While renewing, the old key keeps working until the new one is confirmed.
/// </summary>
public sealed class TotpEnrollmentService(
    ConsoleDbContext db,
    TotpSecretProtector protector,
    BackupCodeService backupCodes,
    TwoFactorService twoFactor,
    ReVerification.ReVerificationService reVerification,
    Notifications.SecurityNotifier notifier,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ILogger<TotpEnrollmentService> logger)
{
    /// <summary>Returns the open enrollment of the user, or starts one. Calling it twice shows the same QR code.</summary>
    public async Task<TotpEnrollmentView?> StartAsync(string userId, CancellationToken cancellationToken = default)
    {
        var userName = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
        if (userName is null)
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await db.TotpEnrollments.SingleOrDefaultAsync(e => e.UserId == userId, cancellationToken);
        if (pending is not null && pending.ExpiresAt <= now)
        {
            db.TotpEnrollments.Remove(pending);
            pending = null;
        }
        if (pending is null)
        {
            pending = new TotpEnrollment
            {
                UserId = userId,
                ProtectedSecret = protector.Protect(TotpSecret.Generate()),
                CreatedAt = now,
                ExpiresAt = now.AddMinutes(options.Value.EnrollmentLifetimeMinutes),
            };
            db.TotpEnrollments.Add(pending);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two tabs started at once; the other one's enrollment wins and is shown here too.
            db.ChangeTracker.Clear();
            pending = await db.TotpEnrollments.AsNoTracking().SingleAsync(e => e.UserId == userId, cancellationToken);
        }
        var base32 = TotpSecret.ToBase32(protector.Unprotect(pending.ProtectedSecret));
        var uri = TotpSecret.ToUri(options.Value.Issuer, userName, base32);
        var renewal = await twoFactor.IsEnabledAsync(userId, cancellationToken);
        return new TotpEnrollmentView(base32, TotpSecret.Grouped(base32), uri, TotpQrCode.ToPngDataUri(uri), pending.ExpiresAt, renewal);
    }

    public async Task CancelAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.TotpEnrollments.Where(e => e.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    public async Task<EnrollmentResult> ConfirmAsync(string userId, string? currentSessionId, string? code,
        bool signOutOtherDevices = true, CancellationToken cancellationToken = default)
    {
        if (!SecondFactorCode.IsTotpCode(code))
        {
            return new(EnrollmentStatus.InvalidCode);
        }
        var now = time.GetUtcNow();
        var pending = await db.TotpEnrollments.AsNoTracking()
            .SingleOrDefaultAsync(e => e.UserId == userId && e.ExpiresAt > now.UtcDateTime, cancellationToken);
        if (pending is null)
        {
            return new(EnrollmentStatus.NotStarted);
        }
        var key = protector.Unprotect(pending.ProtectedSecret);
        var step = TotpAlgorithm.Default.Match(key, code!, now);
        if (step is null)
        {
            return await RecordWrongCodeAsync(pending, cancellationToken);
        }
        var renewal = await twoFactor.IsEnabledAsync(userId, cancellationToken);
        if (renewal && !await reVerification.TryUseGrantAsync(userId, currentSessionId, cancellationToken))
        {
            return new(EnrollmentStatus.ReVerificationRequired);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claiming the enrollment decides which of two racing confirmations (a double click) wins.
        var claimed = await db.TotpEnrollments
            .Where(e => e.UserId == userId && e.CreatedAt == pending.CreatedAt)
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
        await db.TotpEnrollments.Where(e => e.UserId == pending.UserId && e.CreatedAt == pending.CreatedAt)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.FailedAttempts, e => e.FailedAttempts + 1), cancellationToken);
        var discarded = await db.TotpEnrollments
            .Where(e => e.UserId == pending.UserId && e.CreatedAt == pending.CreatedAt && e.FailedAttempts >= max)
            .ExecuteDeleteAsync(cancellationToken);
        if (discarded > 0)
        {
            logger.LogWarning("Discarded the pending TOTP key of user {UserId} after {Attempts} wrong codes", pending.UserId, max);
            return new(EnrollmentStatus.TooManyAttempts);
        }
        return new(EnrollmentStatus.WrongCode);
    }
}
