using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Mail;
using RustDesk.Core.Security;

namespace RustDesk.Core.Authentication;

/// <summary>What <c>/account/login/email</c> shows.</summary>
public sealed record EmailSignInState(string MaskedEmail, bool IsPersistent, DateTime ExpiresAt, int ResendInSeconds, bool DeliveryFailed, bool CodeVoided);

public enum EmailStepStatus
{
    Succeeded,
    InvalidFormat,
    Wrong,
    /// <summary>Too many wrong entries: this code is void; a new one must be requested.</summary>
    CodeVoided,
    LockedOut,
    Expired,
    /// <summary>Resend asked for within the cooldown.</summary>
    TooSoon,
    Sent,
}

/// <param name="LockedOutUntil">For <see cref="EmailStepStatus.LockedOut"/>: when a retry may succeed; null = until unlocked.</param>
public sealed record EmailStepResult(EmailStepStatus Status, ConsoleUser? User = null, bool IsPersistent = false,
    DateTimeOffset? LockedOutUntil = null, int RetryInSeconds = 0);

/// <summary>
/// The emailed-code step of signing in. The code is bound to its pending sign-in, single use, hashed at rest,
/// compared in fixed time, void after <see cref="EmailVerificationOptions.MaxAttempts"/> entries that were not it,
/// replaced by a resend (after a cooldown; the sign-in's absolute end does not move), and every attempt reserves a
/// failure of the account's lockout budget before the code is compared, so a locked account is refused even with the
/// right code.
/// </summary>
public sealed class EmailSignInService(
    ConsoleDbContext db,
    PendingSignInService pending,
    PasswordSignInService passwords,
    LockoutGuard guard,
    IEmailCodeSender sender,
    EmailCodeHasher codes,
    IOptions<EmailVerificationOptions> options,
    TimeProvider time,
    ILogger<EmailSignInService> logger)
{
    private const string Step = Audit.SignInSteps.EmailedCode;

    /// <summary>True when a correct password must be followed by an emailed code (and TOTP is off, checked by the caller).</summary>
    public static bool Applies(ConsoleUser user) => EmailRules.SignInCodeApplies(user);

    /// <summary>Creates the pending sign-in and queues its first code; returns the browser's key.</summary>
    /// <param name="client">The RustDesk client the sign-in is bound to; null for a browser.</param>
    public async Task<string> StartAsync(ConsoleUser user, bool persistent, string? ipAddress, string? userAgent,
        string? deviceHash = null, PendingClient? client = null, CancellationToken cancellationToken = default)
    {
        var key = await pending.CreateAsync(user, SecondFactorMethod.Email, persistent, options.Value.CodeLifetime,
            ipAddress, userAgent, deviceHash, client, cancellationToken);
        var id = OpaqueKey.Hash(key);
        var signIn = await db.PendingSignIns.AsNoTracking().SingleAsync(p => p.Id == id, cancellationToken);
        await SendCodeAsync(signIn, user, ipAddress, userAgent, cancellationToken);
        return key;
    }

    public async Task<EmailSignInState?> GetStateAsync(string? pendingKey, CancellationToken cancellationToken = default)
    {
        var valid = await pending.FindValidAsync(pendingKey, SecondFactorMethod.Email, cancellationToken);
        if (valid is null)
        {
            return null;
        }
        var (signIn, user) = valid;
        var failed = signIn.EmailMessageId is { } id && await sender.HasFailedAsync(id, cancellationToken);
        return new EmailSignInState(EmailRules.Mask(user.Email ?? ""), signIn.IsPersistent, signIn.ExpiresAt, ResendIn(signIn),
            failed, signIn.EmailCodeHash is null);
    }

    public Task<EmailStepResult> VerifyAsync(string? pendingKey, string? input, CancellationToken cancellationToken = default) =>
        VerifyCoreAsync(pending.FindValidAsync(pendingKey, SecondFactorMethod.Email, cancellationToken), input, cancellationToken);

    /// <summary>The same step for a RustDesk client's pending sign-in, found by its row id (see <c>ClientApi</c>).</summary>
    /// <param name="origin">The code request's own IP address and client (see <see cref="SecondFactorSignInService.VerifyClientAsync"/>).</param>
    public Task<EmailStepResult> VerifyClientAsync(string pendingId, string? input, Notifications.EventOrigin origin,
        CancellationToken cancellationToken = default) =>
        VerifyCoreAsync(pending.FindValidByIdAsync(pendingId, SignInClient.RustDeskClient, SecondFactorMethod.Email, cancellationToken),
            input, cancellationToken, origin);

    /// <param name="origin">Where the code came from; null for a browser's step, whose page request is the password step's browser.</param>
    private async Task<EmailStepResult> VerifyCoreAsync(Task<ValidPendingSignIn?> find, string? input, CancellationToken cancellationToken,
        Notifications.EventOrigin? origin = null)
    {
        var valid = await find;
        if (valid is null)
        {
            return new(EmailStepStatus.Expired);
        }
        var (signIn, user) = valid;
        var code = EmailCodes.Normalize(input);
        if (code is null)
        {
            return new(EmailStepStatus.InvalidFormat);
        }
        if (signIn.EmailCodeHash is not { } hash)
        {
            return new(EmailStepStatus.CodeVoided);
        }
        origin ??= new Notifications.EventOrigin(signIn.IpAddress, signIn.UserAgent);
        var attempt = await guard.ReserveAsync(user, signIn.DeviceHash, Step, origin, cancellationToken);
        if (!attempt.IsReserved)
        {
            await pending.CancelByIdAsync(signIn.Id, cancellationToken);
            return new(EmailStepStatus.LockedOut, LockedOutUntil: LockoutGuard.LockEnd(attempt.RefusedUntil));
        }
        // The code's own limit, reserved the same way: parallel entries cannot compare more than MaxAttempts against it.
        var now = time.GetUtcNow().UtcDateTime;
        var onCode = await db.PendingSignIns
            .Where(p => p.Id == signIn.Id && p.EmailCodeHash == hash && p.EmailCodeFailures < options.Value.MaxAttempts && p.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailCodeFailures, p => p.EmailCodeFailures + 1), cancellationToken);
        if (onCode == 0)
        {
            await guard.ReleaseAsync(attempt, cancellationToken);
            return new(await pending.IsOpenAsync(signIn.Id, cancellationToken) ? EmailStepStatus.CodeVoided : EmailStepStatus.Expired);
        }
        if (!await codes.MatchesAsync(hash, signIn.Id, code, cancellationToken))
        {
            return await RecordWrongCodeAsync(signIn, hash, user, attempt, origin, cancellationToken);
        }
        // Single use: only the request that deletes the row signs in.
        var claimed = await db.PendingSignIns.Where(p => p.Id == signIn.Id && p.EmailCodeHash == hash && p.ExpiresAt > now)
            .ExecuteDeleteAsync(cancellationToken);
        if (claimed != 1)
        {
            await guard.ReleaseAsync(attempt, cancellationToken);
            return new(EmailStepStatus.Expired);
        }
        await passwords.CompleteAsync(user, signIn.DeviceHash);
        logger.LogInformation("User {UserId} passed email verification at sign-in", user.Id);
        return new(EmailStepStatus.Succeeded, user, signIn.IsPersistent);
    }

    /// <summary>Sends a new code (voiding the previous one), at most once per cooldown; it expires with the sign-in at the latest.</summary>
    public async Task<EmailStepResult> ResendAsync(string? pendingKey, CancellationToken cancellationToken = default)
    {
        var valid = await pending.FindValidAsync(pendingKey, SecondFactorMethod.Email, cancellationToken);
        if (valid is null)
        {
            return new(EmailStepStatus.Expired);
        }
        var (signIn, user) = valid;
        var wait = ResendIn(signIn);
        if (wait > 0)
        {
            return new(EmailStepStatus.TooSoon, RetryInSeconds: wait);
        }
        await SendCodeAsync(signIn, user, signIn.IpAddress, signIn.UserAgent, cancellationToken);
        return new(EmailStepStatus.Sent, RetryInSeconds: options.Value.ResendCooldownSeconds);
    }

    private async Task SendCodeAsync(PendingSignIn signIn, ConsoleUser user, string? ipAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var code = EmailCodes.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = options.Value.CodeLifetime;
        // A resend gives a fresh code lifetime, but never beyond the sign-in's absolute end.
        var expires = now + lifetime < signIn.AbsoluteExpiresAt ? now + lifetime : signIn.AbsoluteExpiresAt;
        var hash = await codes.HashAsync(signIn.Id, code, cancellationToken);
        await db.PendingSignIns.Where(p => p.Id == signIn.Id).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.EmailCodeHash, hash)
            .SetProperty(p => p.EmailCodeSentAt, now)
            .SetProperty(p => p.EmailCodeFailures, 0)
            .SetProperty(p => p.ExpiresAt, expires), cancellationToken);
        var messageId = await sender.QueueAsync(new EmailCodeDelivery(user.Email!, code, EmailCodePurpose.SignIn,
            user.PreferredCulture, RoundUpToMinutes(expires - now), ipAddress, userAgent), cancellationToken);
        await db.PendingSignIns.Where(p => p.Id == signIn.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailMessageId, messageId), cancellationToken);
        logger.LogInformation("Queued a sign-in code for user {UserId} (message {MessageId})", user.Id, messageId);
    }

    private async Task<EmailStepResult> RecordWrongCodeAsync(PendingSignIn signIn, string hash, ConsoleUser user, BudgetReservation attempt,
        Notifications.EventOrigin origin, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxAttempts;
        var voided = await db.PendingSignIns.Where(p => p.Id == signIn.Id && p.EmailCodeHash == hash && p.EmailCodeFailures >= max)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailCodeHash, (string?)null), cancellationToken);
        var failure = await guard.FailAsync(user, attempt, Step, origin, cancellationToken: cancellationToken);
        if (failure.Status == PasswordCheckStatus.LockedOut)
        {
            await pending.CancelByIdAsync(signIn.Id, cancellationToken);
            return new(EmailStepStatus.LockedOut, LockedOutUntil: failure.LockedOutUntil);
        }
        if (voided > 0)
        {
            logger.LogWarning("Voided the sign-in code of user {UserId} after {Attempts} wrong entries", user.Id, max);
            return new(EmailStepStatus.CodeVoided);
        }
        return new(EmailStepStatus.Wrong);
    }

    private static TimeSpan RoundUpToMinutes(TimeSpan span) => TimeSpan.FromMinutes(Math.Max(1, Math.Ceiling(span.TotalMinutes)));

    private int ResendIn(PendingSignIn signIn)
    {
        if (signIn.EmailCodeSentAt is not { } sent)
        {
            return 0;
        }
        var left = sent.AddSeconds(options.Value.ResendCooldownSeconds) - time.GetUtcNow().UtcDateTime;
        return left <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(left.TotalSeconds);
    }
}
