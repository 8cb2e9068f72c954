using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication.Lockout;
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
    /// <summary>A passkey's answer was refused (counted like a wrong code).</summary>
    PasskeyRefused,
}

public enum SignInNextStep
{
    /// <summary>No second factor: sign the user in now.</summary>
    Complete,
    Totp,
    Email,
}

public sealed record SignInStart(SignInNextStep Next, string? PendingKey = null);

/// <param name="LockedOutUntil">For <see cref="SecondStepStatus.LockedOut"/>: when a retry may succeed; null = until unlocked.</param>
public sealed record SecondStepResult(
    SecondStepStatus Status, ConsoleUser? User = null, bool IsPersistent = false, bool UsedBackupCode = false,
    DateTimeOffset? LockedOutUntil = null);

/// <summary>
/// The TOTP / backup-code step of signing in at <c>/account/login/2fa</c>. Each attempt reserves a failure from the
/// budget of the device that started the sign-in (or of unknown clients) before the code is checked, so a locked
/// account is refused even with the right code, and parallel guesses cannot run past the limit.
/// </summary>
public sealed class SecondFactorSignInService(
    PendingSignInService pending,
    PasswordSignInService passwords,
    LockoutGuard guard,
    SecondFactorVerifier verifier,
    EmailSignInService emailSignIn,
    ILogger<SecondFactorSignInService> logger)
{
    private const string Step = Audit.SignInSteps.Totp;
    private const string BackupStep = Audit.SignInSteps.BackupCode;

    /// <summary>
    /// Decides what follows a correct password: TOTP when the user has it (email verification is then not used), else
    /// an emailed code when email login verification is on, otherwise a direct sign-in. Returns the key of the pending
    /// sign-in for the browser's cookie. <paramref name="deviceHash"/> is the trusted device the password came from.
    /// </summary>
    public async Task<SignInStart> StartAsync(ConsoleUser user, bool persistent, string? ipAddress, string? userAgent,
        string? deviceHash = null, CancellationToken cancellationToken = default)
    {
        switch (await pending.RequiredMethodAsync(user, cancellationToken))
        {
            case SecondFactorMethod.Totp:
                var key = await pending.CreateAsync(user, SecondFactorMethod.Totp, persistent, PendingSignInService.TotpLifetime,
                    ipAddress, userAgent, deviceHash, cancellationToken: cancellationToken);
                return new(SignInNextStep.Totp, key);
            case SecondFactorMethod.Email:
                return new(SignInNextStep.Email, await emailSignIn.StartAsync(user, persistent, ipAddress, userAgent, deviceHash, cancellationToken: cancellationToken));
            default:
                await passwords.CompleteAsync(user, deviceHash);
                return new(SignInNextStep.Complete);
        }
    }

    /// <summary>Abandons a pending sign-in (Back, or a new password step in the same browser).</summary>
    public Task CancelAsync(string? pendingKey, CancellationToken cancellationToken = default) =>
        pending.CancelAsync(pendingKey, cancellationToken);

    /// <summary>The browser's pending TOTP sign-in while it may still be finished, else null.</summary>
    public async Task<PendingSignInInfo?> FindAsync(string? pendingKey, CancellationToken cancellationToken = default) =>
        await pending.FindValidAsync(pendingKey, SecondFactorMethod.Totp, cancellationToken) is null
            ? null
            : await pending.FindAsync(pendingKey, cancellationToken);

    public Task<SecondStepResult> VerifyAsync(string? pendingKey, string? code, CancellationToken cancellationToken = default) =>
        VerifyCoreAsync(pending.FindValidAsync(pendingKey, SecondFactorMethod.Totp, cancellationToken), code, cancellationToken);

    /// <summary>The same step for a RustDesk client's pending sign-in, found by its row id (see <c>ClientApi</c>).</summary>
    /// <param name="origin">
    /// The code request's own IP address and client: each step of the client API is a request of its own, which may come
    /// from elsewhere than the password step's. The audit, the lockout and the mails name this one.
    /// </param>
    public Task<SecondStepResult> VerifyClientAsync(string pendingId, string? code, Notifications.EventOrigin origin,
        CancellationToken cancellationToken = default) =>
        VerifyCoreAsync(pending.FindValidByIdAsync(pendingId, SignInClient.RustDeskClient, SecondFactorMethod.Totp, cancellationToken),
            code, cancellationToken, origin);

    /// <param name="origin">Where the code came from; null for a browser's step, whose page request is the password step's browser.</param>
    private async Task<SecondStepResult> VerifyCoreAsync(Task<ValidPendingSignIn?> find, string? code, CancellationToken cancellationToken,
        Notifications.EventOrigin? origin = null)
    {
        var valid = await find;
        if (valid is null)
        {
            return new(SecondStepStatus.Expired);
        }
        var (signIn, user) = valid;
        var kind = SecondFactorCode.Parse(code).Kind;
        if (kind == SecondFactorKind.Invalid)
        {
            return new(SecondStepStatus.InvalidFormat);
        }
        // The audit names what was typed: a 10-digit backup code or a 6-digit TOTP code.
        var step = kind == SecondFactorKind.BackupCode ? BackupStep : Step;
        origin ??= new Notifications.EventOrigin(signIn.IpAddress, signIn.UserAgent);
        var attempt = await guard.ReserveAsync(user, signIn.DeviceHash, step, origin, cancellationToken);
        if (!attempt.IsReserved)
        {
            await pending.CancelByIdAsync(signIn.Id, cancellationToken);
            return new(SecondStepStatus.LockedOut, LockedOutUntil: LockoutGuard.LockEnd(attempt.RefusedUntil));
        }
        var result = await verifier.VerifyAsync(user.Id, code, origin, cancellationToken);
        switch (result)
        {
            case SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode:
                if (!await pending.CompleteAsync(signIn.Id, cancellationToken))
                {
                    await guard.ReleaseAsync(attempt, cancellationToken);
                    return new(SecondStepStatus.Expired);
                }
                await passwords.CompleteAsync(user, signIn.DeviceHash);
                var backup = result == SecondFactorResult.SucceededWithBackupCode;
                logger.LogInformation("User {UserId} passed 2FA at sign-in (backup code: {Backup})", user.Id, backup);
                return new(SecondStepStatus.Succeeded, user, signIn.IsPersistent, backup);
            case SecondFactorResult.InvalidFormat or SecondFactorResult.NotEnabled:
                await guard.ReleaseAsync(attempt, cancellationToken);
                await pending.CancelByIdAsync(signIn.Id, cancellationToken);
                return new(SecondStepStatus.Expired);
            default:
                var failure = await guard.FailAsync(user, attempt, step, origin, cancellationToken: cancellationToken);
                if (failure.Status == PasswordCheckStatus.LockedOut)
                {
                    await pending.CancelByIdAsync(signIn.Id, cancellationToken);
                    return new(SecondStepStatus.LockedOut, LockedOutUntil: failure.LockedOutUntil);
                }
                return new(SecondStepStatus.Wrong);
        }
    }
}
