using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;

namespace RustDesk.Core.EmailVerification;

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

public sealed record EmailStepResult(EmailStepStatus Status, ConsoleUser? User = null, bool IsPersistent = false,
    DateTimeOffset? LockedOutUntil = null, int RetryInSeconds = 0);

/// <summary>
/// The emailed-code step of signing in. The code is bound to its pending sign-in, single use, hashed at rest,
/// compared in fixed time, void after <see cref="EmailVerificationOptions.MaxAttempts"/> wrong entries, replaced
/// by a resend (after a cooldown), and every wrong entry counts toward the account's lockout.
/// </summary>
public sealed class EmailSignInService(
    ConsoleDbContext db,
    PendingSignInService pending,
    PasswordSignInService passwords,
    UserManager<ConsoleUser> users,
    IEmailCodeSender sender,
    EmailCodeHasher codes,
    IOptions<EmailVerificationOptions> options,
    TimeProvider time,
    ILogger<EmailSignInService> logger)
{
    /// <summary>True when a correct password must be followed by an emailed code (and TOTP is off, checked by the caller).</summary>
    public static bool Applies(ConsoleUser user) => user.EmailLoginVerification && !string.IsNullOrEmpty(user.Email);

    /// <summary>Creates the pending sign-in and queues its first code; returns the browser's key.</summary>
    public async Task<string> StartAsync(ConsoleUser user, bool persistent, string? ipAddress, string? userAgent,
        CancellationToken cancellationToken = default)
    {
        var key = await pending.CreateAsync(user.Id, SecondFactorMethod.Email, persistent, options.Value.CodeLifetime,
            ipAddress, userAgent, cancellationToken);
        var signIn = await pending.FindAsync(key, cancellationToken);
        await SendCodeAsync(signIn!.Id, user, ipAddress, userAgent, cancellationToken);
        return key;
    }

    public async Task<EmailSignInState?> GetStateAsync(string? pendingKey, CancellationToken cancellationToken = default)
    {
        var signIn = await FindAsync(pendingKey, cancellationToken);
        if (signIn is null)
        {
            return null;
        }
        var email = await db.Users.Where(u => u.Id == signIn.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        var failed = signIn.EmailMessageId is { } id && await sender.HasFailedAsync(id, cancellationToken);
        return new EmailSignInState(EmailRules.Mask(email ?? ""), signIn.IsPersistent, signIn.ExpiresAt, ResendIn(signIn),
            failed, signIn.EmailCodeHash is null);
    }

    public async Task<EmailStepResult> VerifyAsync(string? pendingKey, string? input, CancellationToken cancellationToken = default)
    {
        var signIn = await FindAsync(pendingKey, cancellationToken);
        if (signIn is null)
        {
            return new(EmailStepStatus.Expired);
        }
        var user = await users.FindByIdAsync(signIn.UserId);
        if (user is null || user.Status != UserStatus.Active)
        {
            await pending.CancelAsync(pendingKey, cancellationToken);
            return new(EmailStepStatus.Expired);
        }
        if (passwords.IsLockedOut(user))
        {
            await pending.CancelAsync(pendingKey, cancellationToken);
            return new(EmailStepStatus.LockedOut, LockedOutUntil: user.LockoutEnd);
        }
        var code = EmailCodes.Normalize(input);
        if (code is null)
        {
            return new(EmailStepStatus.InvalidFormat);
        }
        if (signIn.EmailCodeHash is null)
        {
            return new(EmailStepStatus.CodeVoided);
        }
        if (!await codes.MatchesAsync(signIn.EmailCodeHash, signIn.Id, code, cancellationToken))
        {
            return await RecordWrongCodeAsync(signIn, user, cancellationToken);
        }
        // Single use: only the request that deletes the row signs in.
        var claimed = await db.PendingSignIns
            .Where(p => p.Id == signIn.Id && p.EmailCodeHash == signIn.EmailCodeHash && p.ExpiresAt > time.GetUtcNow().UtcDateTime)
            .ExecuteDeleteAsync(cancellationToken);
        if (claimed != 1)
        {
            return new(EmailStepStatus.Expired);
        }
        await passwords.CompleteAsync(user);
        logger.LogInformation("User {UserId} passed email verification at sign-in", user.Id);
        return new(EmailStepStatus.Succeeded, user, signIn.IsPersistent);
    }

    /// <summary>Sends a new code (voiding the previous one), at most once per cooldown.</summary>
    public async Task<EmailStepResult> ResendAsync(string? pendingKey, CancellationToken cancellationToken = default)
    {
        var signIn = await FindAsync(pendingKey, cancellationToken);
        if (signIn is null)
        {
            return new(EmailStepStatus.Expired);
        }
        var wait = ResendIn(signIn);
        if (wait > 0)
        {
            return new(EmailStepStatus.TooSoon, RetryInSeconds: wait);
        }
        var user = await users.FindByIdAsync(signIn.UserId);
        if (user is null || !Applies(user))
        {
            await pending.CancelAsync(pendingKey, cancellationToken);
            return new(EmailStepStatus.Expired);
        }
        await SendCodeAsync(signIn.Id, user, signIn.IpAddress, signIn.UserAgent, cancellationToken);
        return new(EmailStepStatus.Sent, RetryInSeconds: options.Value.ResendCooldownSeconds);
    }

    private async Task SendCodeAsync(string signInId, ConsoleUser user, string? ipAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var code = EmailCodes.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + options.Value.CodeLifetime;
        var hash = await codes.HashAsync(signInId, code, cancellationToken);
        await db.PendingSignIns.Where(p => p.Id == signInId).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.EmailCodeHash, hash)
            .SetProperty(p => p.EmailCodeSentAt, now)
            .SetProperty(p => p.EmailCodeFailures, 0)
            .SetProperty(p => p.ExpiresAt, expires), cancellationToken);
        var messageId = await sender.QueueAsync(new EmailCodeDelivery(user.Email!, code, EmailCodePurpose.SignIn,
            user.PreferredCulture, options.Value.CodeLifetime, ipAddress, userAgent), cancellationToken);
        await db.PendingSignIns.Where(p => p.Id == signInId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailMessageId, messageId), cancellationToken);
        logger.LogInformation("Queued a sign-in code for user {UserId} (message {MessageId})", user.Id, messageId);
    }

    private async Task<EmailStepResult> RecordWrongCodeAsync(PendingSignIn signIn, ConsoleUser user, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxAttempts;
        await db.PendingSignIns.Where(p => p.Id == signIn.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailCodeFailures, p => p.EmailCodeFailures + 1), cancellationToken);
        var voided = await db.PendingSignIns.Where(p => p.Id == signIn.Id && p.EmailCodeFailures >= max)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailCodeHash, (string?)null), cancellationToken);
        var failure = await passwords.RecordFailureAsync(user);
        if (failure.Status == PasswordCheckStatus.LockedOut)
        {
            await db.PendingSignIns.Where(p => p.Id == signIn.Id).ExecuteDeleteAsync(cancellationToken);
            return new(EmailStepStatus.LockedOut, LockedOutUntil: failure.LockedOutUntil);
        }
        if (voided > 0)
        {
            logger.LogWarning("Voided the sign-in code of user {UserId} after {Attempts} wrong entries", user.Id, max);
            return new(EmailStepStatus.CodeVoided);
        }
        return new(EmailStepStatus.Wrong);
    }

    private async Task<PendingSignIn?> FindAsync(string? pendingKey, CancellationToken cancellationToken)
    {
        var info = await pending.FindAsync(pendingKey, cancellationToken);
        if (info is null || info.Method != SecondFactorMethod.Email)
        {
            return null;
        }
        return await db.PendingSignIns.AsNoTracking().SingleOrDefaultAsync(p => p.Id == info.Id, cancellationToken);
    }

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
