using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.Authentication;

public enum SecondStepStatus
{
    Succeeded,
    /// <summary>Not 6 or 10 digits; nothing was checked and nothing counted.</summary>
    InvalidFormat,
    Wrong,
    LockedOut,
    /// <summary>No pending sign-in for this browser: expired, forged, finished, or replaced by a newer sign-in.</summary>
    Expired,
}

public enum SignInNextStep
{
    /// <summary>No second factor: sign the user in now.</summary>
    Complete,
    Totp,
    Email,
}

public sealed record SignInStart(SignInNextStep Next, string? PendingKey = null);

public sealed record SecondStepResult(
    SecondStepStatus Status, ConsoleUser? User = null, bool IsPersistent = false, bool UsedBackupCode = false,
    int BackupCodesLeft = 0, DateTimeOffset? LockedOutUntil = null);

/// <summary>The TOTP / backup-code step of signing in at <c>/account/login/2fa</c>.</summary>
public sealed class SecondFactorSignInService(
    PendingSignInService pending,
    PasswordSignInService passwords,
    TwoFactorService twoFactor,
    SecondFactorVerifier verifier,
    EmailSignInService emailSignIn,
    UserManager<ConsoleUser> users,
    ILogger<SecondFactorSignInService> logger)
{
    /// <summary>
    /// Decides what follows a correct password: TOTP when the user has it (email verification is then not
    /// used), else an emailed code when email login verification is on, otherwise a direct sign-in. Returns the key of the pending sign-in for the browser's cookie.
    /// </summary>
    public async Task<SignInStart> StartAsync(ConsoleUser user, bool persistent, string? ipAddress, string? userAgent,
        CancellationToken cancellationToken = default)
    {
        if (await twoFactor.IsEnabledAsync(user.Id, cancellationToken))
        {
            var key = await pending.CreateAsync(user.Id, SecondFactorMethod.Totp, persistent, PendingSignInService.TotpLifetime,
                ipAddress, userAgent, cancellationToken);
            return new(SignInNextStep.Totp, key);
        }
        if (EmailSignInService.Applies(user))
        {
            return new(SignInNextStep.Email, await emailSignIn.StartAsync(user, persistent, ipAddress, userAgent, cancellationToken));
        }
        await passwords.CompleteAsync(user);
        return new(SignInNextStep.Complete);
    }

    /// <summary>Abandons a pending sign-in (Back, or a new password step in the same browser).</summary>
    public Task CancelAsync(string? pendingKey, CancellationToken cancellationToken = default) =>
        pending.CancelAsync(pendingKey, cancellationToken);

    /// <summary>Whether a browser's pending sign-in still exists, and for which method.</summary>
    public Task<PendingSignInInfo?> FindAsync(string? pendingKey, CancellationToken cancellationToken = default) =>
        pending.FindAsync(pendingKey, cancellationToken);

    public async Task<SecondStepResult> VerifyAsync(string? pendingKey, string? code, CancellationToken cancellationToken = default)
    {
        var signIn = await pending.FindAsync(pendingKey, cancellationToken);
        if (signIn is null || signIn.Method != SecondFactorMethod.Totp)
        {
            return new(SecondStepStatus.Expired);
        }
        var user = await users.FindByIdAsync(signIn.UserId);
        if (user is null || user.Status != UserStatus.Active)
        {
            await pending.CancelAsync(pendingKey, cancellationToken);
            return new(SecondStepStatus.Expired);
        }
        if (passwords.IsLockedOut(user))
        {
            await pending.CancelAsync(pendingKey, cancellationToken);
            return new(SecondStepStatus.LockedOut, LockedOutUntil: user.LockoutEnd);
        }
        var result = await verifier.VerifyAsync(user.Id, code, new Notifications.EventOrigin(signIn.IpAddress, signIn.UserAgent), cancellationToken);
        switch (result)
        {
            case SecondFactorResult.InvalidFormat:
                return new(SecondStepStatus.InvalidFormat);
            case SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode:
                if (!await pending.CompleteAsync(signIn.Id, cancellationToken))
                {
                    return new(SecondStepStatus.Expired);
                }
                await passwords.CompleteAsync(user);
                var backup = result == SecondFactorResult.SucceededWithBackupCode;
                var left = backup ? (await twoFactor.GetStatusAsync(user.Id, cancellationToken)).UnusedBackupCodes : 0;
                logger.LogInformation("User {UserId} passed 2FA at sign-in (backup code: {Backup})", user.Id, backup);
                return new(SecondStepStatus.Succeeded, user, signIn.IsPersistent, backup, left);
            case SecondFactorResult.NotEnabled:
                await pending.CancelAsync(pendingKey, cancellationToken);
                return new(SecondStepStatus.Expired);
            default:
                var failure = await passwords.RecordFailureAsync(user);
                if (failure.Status == PasswordCheckStatus.LockedOut)
                {
                    await pending.CancelAsync(pendingKey, cancellationToken);
                    return new(SecondStepStatus.LockedOut, LockedOutUntil: failure.LockedOutUntil);
                }
                return new(SecondStepStatus.Wrong);
        }
    }
}
