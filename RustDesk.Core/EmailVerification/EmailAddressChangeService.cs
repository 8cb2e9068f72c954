using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;

namespace RustDesk.Core.EmailVerification;

public enum AddressChangeStatus
{
    /// <summary>Saved without a code (nothing needed proving).</summary>
    Saved,
    /// <summary>A code went to the new address; the change waits for it.</summary>
    CodeSent,
    Confirmed,
    EmailInvalid,
    EmailTaken,
    /// <summary>Email login verification needs an address.</summary>
    EmailRequired,
    /// <summary>TOTP is on, so email login verification is not used and cannot be turned on.</summary>
    TotpActive,
    InvalidCode,
    WrongCode,
    /// <summary>No open request: never made, expired, cancelled, already confirmed, or voided after too many wrong codes.</summary>
    NoRequest,
    TooSoon,
    UserNotFound,
    ReVerificationRequired,
}

public sealed record AddressChangeResult(AddressChangeStatus Status, int RetryInSeconds = 0) : ReVerification.IProtectedChangeResult
{
    public bool ReVerificationRequired => Status == AddressChangeStatus.ReVerificationRequired;
}

/// <summary>What the address-confirmation dialog shows.</summary>
public sealed record PendingAddressChange(string NewEmail, DateTime ExpiresAt, int ResendInSeconds, bool DeliveryFailed);

/// <summary>
/// The Basic tab's email and "Enable email login verification". Turning verification on, or changing the
/// address while it is on, takes effect only after the code sent to the new address is entered, so a typo
/// cannot lock the user out. Everything else is saved at once.
/// </summary>
public sealed class EmailAddressChangeService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    AccountSettingsService accounts,
    TwoFactorService twoFactor,
    Sessions.SessionGuard guard,
    ReVerification.ReVerificationPolicy policy,
    IEmailCodeSender sender,
    EmailCodeHasher codes,
    IOptions<EmailVerificationOptions> options,
    Audit.AuditLog audit,
    TimeProvider time,
    ILogger<EmailAddressChangeService> logger)
{
    /// <summary>Saves the Basic tab: email, email login verification and alarm notification.</summary>
    public async Task<AddressChangeResult> SubmitAsync(string userId, string? sessionId, string? email, bool emailVerification,
        bool alarmNotification, string? ipAddress = null, string? userAgent = null, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        // The address is checked here once (form, then whether another user holds it); the write below trusts it.
        if (!AccountSettingsService.TryNormalizeEmail(email, out email))
        {
            return new(AddressChangeStatus.EmailInvalid);
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return new(AddressChangeStatus.UserNotFound);
        }
        var changes = AccountSettingsService.BasicChanges(user, email, alarmNotification, emailVerification);
        var totpOn = await twoFactor.IsEnabledAsync(userId, cancellationToken);
        var needsProof = ReVerification.ReVerificationPolicy.ProofFor(changes, totpOn).HasFlag(ReVerification.Proof.AddressCode);
        if (emailVerification && email is null)
        {
            return new(AddressChangeStatus.EmailRequired);
        }
        if (needsProof && !user.EmailLoginVerification && totpOn)
        {
            return new(AddressChangeStatus.TotpActive);
        }
        // Unchanged, the address is the user's own: no other user can hold it (unique index), so only a new one is asked about.
        var emailChanged = email is not null && !string.Equals(user.Email, email, StringComparison.Ordinal);
        if (emailChanged && await accounts.IsEmailTakenAsync(userId, email, cancellationToken))
        {
            return new(AddressChangeStatus.EmailTaken);
        }
        if ((await policy.DecideAsync(userId, sessionId, changes, cancellationToken)).ReVerificationRequired)
        {
            return new(AddressChangeStatus.ReVerificationRequired);
        }
        if (!needsProof)
        {
            var error = await accounts.WriteBasicAsync(user, email, alarmNotification, emailVerification, addressProved: false, sessionId);
            return new(error switch
            {
                SettingsError.None => AddressChangeStatus.Saved,
                SettingsError.EmailTaken => AddressChangeStatus.EmailTaken,
                SettingsError.UserNotFound => AddressChangeStatus.UserNotFound,
                _ => AddressChangeStatus.EmailInvalid,
            });
        }
        // The alarm setting does not need proving; it is saved now, the address and verification after the code.
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.AlarmNotificationEnabled, alarmNotification), cancellationToken);
        var origin = await OriginAsync(userId, sessionId, ipAddress, userAgent, cancellationToken);
        return await SendCodeAsync(userId, email!, origin.IpAddress, origin.UserAgent, user.PreferredCulture, cancellationToken);
    }

    public async Task<PendingAddressChange?> GetPendingAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        var request = await FindAsync(userId, cancellationToken);
        if (request is null)
        {
            return null;
        }
        var failed = request.EmailMessageId is { } id && await sender.HasFailedAsync(id, cancellationToken);
        return new PendingAddressChange(request.NewEmail, request.ExpiresAt, ResendIn(request), failed);
    }

    public async Task<AddressChangeResult> ConfirmAsync(string userId, string? sessionId, string? input, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        var code = EmailCodes.Normalize(input);
        if (code is null)
        {
            return new(AddressChangeStatus.InvalidCode);
        }
        var request = await FindAsync(userId, cancellationToken);
        if (request is null)
        {
            return new(AddressChangeStatus.NoRequest);
        }
        if (!await codes.MatchesAsync(request.CodeHash, userId + ":" + request.NewEmail, code, cancellationToken))
        {
            return await RecordWrongCodeAsync(request, sessionId, cancellationToken);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.EmailChangeRequests
            .Where(r => r.UserId == userId && r.CodeHash == request.CodeHash)
            .ExecuteDeleteAsync(cancellationToken);
        if (claimed != 1)
        {
            return new(AddressChangeStatus.NoRequest);
        }
        // The address was checked when the code was sent; since then another user may have taken it.
        var user = await users.FindByIdAsync(userId);
        var error = user is null ? SettingsError.UserNotFound
            : await accounts.IsEmailTakenAsync(userId, request.NewEmail, cancellationToken) ? SettingsError.EmailTaken
            : await accounts.WriteBasicAsync(user, request.NewEmail, alarmNotification: null,
                emailVerification: request.EnableVerification, addressProved: true, sessionId);
        if (error != SettingsError.None)
        {
            return new(error == SettingsError.EmailTaken ? AddressChangeStatus.EmailTaken : AddressChangeStatus.EmailInvalid);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("User {UserId} confirmed a new address; email login verification is on", userId);
        return new(AddressChangeStatus.Confirmed);
    }

    public async Task<AddressChangeResult> ResendAsync(string userId, string? sessionId, string? ipAddress = null, string? userAgent = null,
        CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        var request = await FindAsync(userId, cancellationToken);
        if (request is null)
        {
            return new(AddressChangeStatus.NoRequest);
        }
        var wait = ResendIn(request);
        if (wait > 0)
        {
            return new(AddressChangeStatus.TooSoon, wait);
        }
        var culture = await db.Users.Where(u => u.Id == userId).Select(u => u.PreferredCulture).SingleOrDefaultAsync(cancellationToken);
        var origin = await OriginAsync(userId, sessionId, ipAddress, userAgent, cancellationToken);
        return await SendCodeAsync(userId, request.NewEmail, origin.IpAddress, origin.UserAgent, culture, cancellationToken);
    }

    public async Task CancelAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        await db.EmailChangeRequests.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<AddressChangeResult> SendCodeAsync(string userId, string email, string? ipAddress, string? userAgent,
        string? culture, CancellationToken cancellationToken)
    {
        var code = EmailCodes.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        await db.EmailChangeRequests.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var request = new EmailChangeRequest
        {
            UserId = userId,
            NewEmail = email,
            EnableVerification = true,
            CodeHash = await codes.HashAsync(userId + ":" + email, code, cancellationToken),
            CreatedAt = now,
            ExpiresAt = now + options.Value.CodeLifetime,
        };
        db.EmailChangeRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        request.EmailMessageId = await sender.QueueAsync(new EmailCodeDelivery(email, code, EmailCodePurpose.ConfirmAddress,
            culture, options.Value.CodeLifetime, ipAddress, userAgent), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Queued an address-confirmation code for user {UserId} (message {MessageId})", userId, request.EmailMessageId);
        return new(AddressChangeStatus.CodeSent, options.Value.ResendCooldownSeconds);
    }

    /// <summary>
    /// The address and browser the mail and the audit name: those given, else those the session signed in from (an
    /// interactive page has no request of its own to read them from).
    /// </summary>
    private async Task<Notifications.EventOrigin> OriginAsync(string userId, string? sessionId, string? ipAddress, string? userAgent,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(ipAddress) || sessionId is null)
        {
            return new(ipAddress, userAgent);
        }
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId && s.UserId == userId)
            .Select(s => new { s.IpAddress, s.UserAgent }).SingleOrDefaultAsync(cancellationToken);
        return new(session?.IpAddress, session?.UserAgent);
    }

    private async Task<AddressChangeResult> RecordWrongCodeAsync(EmailChangeRequest request, string? sessionId, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxAttempts;
        await db.EmailChangeRequests.Where(r => r.UserId == request.UserId && r.CodeHash == request.CodeHash)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Failures, r => r.Failures + 1), cancellationToken);
        var voided = await db.EmailChangeRequests.Where(r => r.UserId == request.UserId && r.Failures >= max)
            .ExecuteDeleteAsync(cancellationToken);
        var origin = await OriginAsync(request.UserId, sessionId, null, null, cancellationToken);
        var userName = await db.Users.Where(u => u.Id == request.UserId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken) ?? "";
        await audit.AppendAsync(Audit.AuditKinds.AddressCodeFailed, request.UserId, userName, request.UserId, userName,
            Audit.AuditDetails.AddressCodeFailed(voided > 0), origin.IpAddress, origin.UserAgent, cancellationToken);
        if (voided > 0)
        {
            logger.LogWarning("Voided the address-confirmation code of user {UserId} after {Attempts} wrong entries", request.UserId, max);
            return new(AddressChangeStatus.NoRequest);
        }
        return new(AddressChangeStatus.WrongCode);
    }

    private async Task<EmailChangeRequest?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.EmailChangeRequests.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId && r.ExpiresAt > now, cancellationToken);
    }

    private int ResendIn(EmailChangeRequest request)
    {
        var left = request.CreatedAt.AddSeconds(options.Value.ResendCooldownSeconds) - time.GetUtcNow().UtcDateTime;
        return left <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(left.TotalSeconds);
    }
}
