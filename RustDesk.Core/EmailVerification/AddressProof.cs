using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;

namespace RustDesk.Core.EmailVerification;

/// <summary>
/// Proves a new address before email login verification uses it: the code sent there, its resend and cooldown, the
/// wrong entries that void it, cancelling. One open request per user. The Basic-tab save
/// (<c>Accounts/Settings/BasicSettingsService</c>) decides what needs proving and writes the proved address; this
/// class knows nothing of the account's settings, so it sits below them.
/// </summary>
public sealed class AddressProof(
    ConsoleDbContext db,
    Sessions.SessionGuard guard,
    IEmailCodeSender sender,
    EmailCodeHasher codes,
    IOptions<EmailVerificationOptions> options,
    Audit.AuditLog audit,
    TimeProvider time,
    ILogger<AddressProof> logger)
{
    /// <summary>
    /// Replaces any open request of the user with one for <paramref name="email"/> and mails its code. Only the
    /// Basic-tab save calls it, after its own checks (session, address, re-verification).
    /// </summary>
    internal async Task<AddressChangeResult> SendCodeAsync(string userId, string? sessionId, string email, string? culture,
        string? ipAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var origin = await OriginAsync(userId, sessionId, ipAddress, userAgent, cancellationToken);
        return await QueueCodeAsync(userId, email, origin.IpAddress, origin.UserAgent, culture, cancellationToken);
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

    /// <summary>
    /// Checks <paramref name="input"/> against the user's open request (a wrong code is counted, audited, and voids
    /// the request at the limit). When it matches, the request is claimed (a conditional delete: single use) and
    /// <paramref name="write"/> stores the proved address in the same transaction, which commits only when it answers
    /// <see cref="AddressChangeStatus.Confirmed"/>: a refused write leaves the request open. Only the Basic-tab save
    /// calls it, with the session already checked.
    /// </summary>
    internal async Task<AddressChangeResult> ConfirmAsync(string userId, string? sessionId, string? input,
        Func<ProvedAddress, Task<AddressChangeStatus>> write, CancellationToken cancellationToken)
    {
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
        var status = await write(new ProvedAddress(request.NewEmail, request.EnableVerification));
        if (status != AddressChangeStatus.Confirmed)
        {
            return new(status);
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
        return await QueueCodeAsync(userId, request.NewEmail, origin.IpAddress, origin.UserAgent, culture, cancellationToken);
    }

    public async Task CancelAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        await db.EmailChangeRequests.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<AddressChangeResult> QueueCodeAsync(string userId, string email, string? ipAddress, string? userAgent,
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
