using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;

namespace RustDesk.Core.Mail;

/// <summary>
/// The only way the console sends mail: a message is saved in the database and delivered by the
/// <see cref="OutboxWorker"/>, so a request never waits on SMTP and nothing is lost while the server is down.
/// </summary>
public sealed class MailOutbox(ConsoleDbContext db, OutboxSignal signal, OutboxBodyProtector bodies, TimeProvider time, ILogger<MailOutbox> logger)
{
    /// <summary>
    /// Saves the message and wakes the worker; returns the outbox id for <see cref="GetDeliveryStateAsync"/>.
    /// Saves the context's other pending changes too. Inside a transaction the worker sees the row only after the
    /// commit: call <see cref="Wake"/> after committing.
    /// </summary>
    public async Task<long> EnqueueAsync(MailMessageContent message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.To) || message.To.Length > OutboxMessage.MaxToLength || message.To.Any(char.IsControl))
        {
            throw new ArgumentException("The recipient must be one address of at most 254 characters.", nameof(message));
        }
        if (message.Subject.Length > OutboxMessage.MaxSubjectLength || string.IsNullOrWhiteSpace(message.Category)
            || message.Category.Length > OutboxMessage.MaxCategoryLength)
        {
            throw new ArgumentException("Subject or category is empty or too long.", nameof(message));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var row = new OutboxMessage
        {
            To = message.To,
            Subject = message.Subject,
            TextBody = bodies.Protect(message.TextBody),
            HtmlBody = bodies.Protect(message.HtmlBody),
            Category = message.Category,
            CreatedAt = now,
            NextAttemptAt = now,
            Status = OutboxStatus.Pending,
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Queued mail {MessageId} ({Category}) for a recipient at {RecipientDomain}",
            row.Id, row.Category, RecipientDomain(row.To));
        Wake();
        return row.Id;
    }

    /// <summary>Wakes this instance's worker (other instances find the message at their next poll).</summary>
    public void Wake() => signal.Notify();

    /// <summary>Where a queued message stands; null for an unknown id.</summary>
    public async Task<MailDeliveryState?> GetDeliveryStateAsync(long id, CancellationToken cancellationToken = default)
    {
        var row = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new { m.Status, m.Attempts }).SingleOrDefaultAsync(cancellationToken);
        return row switch
        {
            null => null,
            { Status: OutboxStatus.Sent } => MailDeliveryState.Sent,
            { Status: OutboxStatus.Failed } => MailDeliveryState.Failed,
            { Attempts: > 0 } => MailDeliveryState.Failing,
            _ => MailDeliveryState.Pending,
        };
    }

    /// <summary>The most recent failed attempt of any message, or null when none has failed.</summary>
    public async Task<MailDeliveryError?> GetLastErrorAsync(CancellationToken cancellationToken = default) =>
        await db.OutboxMessages.AsNoTracking()
            .Where(m => m.LastError != null && m.LastAttemptAt != null)
            .OrderByDescending(m => m.LastAttemptAt).ThenByDescending(m => m.Id)
            .Select(m => new MailDeliveryError(m.Id, m.Category, m.LastError!, m.LastAttemptAt!.Value))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The part of an address after the last '@': as much of a recipient as the log may show.</summary>
    public static string RecipientDomain(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 || at == address.Length - 1 ? "(none)" : address[(at + 1)..];
    }
}
