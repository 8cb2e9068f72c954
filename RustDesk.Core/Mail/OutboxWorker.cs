using System.Linq.Expressions;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Data;

namespace RustDesk.Core.Mail;

/// <summary>
/// Delivers the outbox: claims each due message with a conditional UPDATE whose affected-row count decides (so
/// two console instances sharing a database never both send one), sends it, and marks it sent or schedules a
/// retry with exponential back-off until <see cref="OutboxOptions.MaxAttempts"/>. Each pass also deletes expired
/// files of the pickup folder (<see cref="PickupFolderRetention"/>). Logs ids, categories and recipient domains,
/// never a body.
/// </summary>
public sealed class OutboxWorker(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    MailTransportSelector transports,
    OutboxBodyProtector bodies,
    PickupFolderRetention pickup,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;

    /// <summary>Names this worker in <see cref="OutboxMessage.ClaimedBy"/>; unique per instance.</summary>
    public string WorkerId { get; } = $"{Truncate(Environment.MachineName, 60)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Mail outbox worker {WorkerId} started", WorkerId);
        var reported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(options.Value.PollSeconds);
            try
            {
                if (!reported)
                {
                    await pickup.ReportAsync(stoppingToken);
                    reported = true;
                }
                await ProcessDueAsync(stoppingToken);
                await pickup.PurgeAsync(stoppingToken);
                wait = await TimeUntilNextDueAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database may be briefly unreachable; the next pass tries again.
                logger.LogError(e, "Mail outbox pass failed");
            }
            logger.LogDebug("Mail outbox worker idle for up to {Wait}", wait);
            try
            {
                await signal.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: delivers (or fails) every message due now; returns how many this worker attempted.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken = default)
    {
        var attempted = 0;
        while (true)
        {
            long[] candidates;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
                candidates = await db.OutboxMessages.AsNoTracking().Where(IsDue(Now))
                    .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
                    .Select(m => m.Id).Take(BatchSize).ToArrayAsync(cancellationToken);
            }
            var claimed = 0;
            foreach (var id in candidates)
            {
                if (await TryDeliverAsync(id, cancellationToken))
                {
                    claimed++;
                }
            }
            attempted += claimed;
            // A failed message is scheduled in the future, so each round makes progress; when another instance
            // took every candidate, or none was left, the pass is over.
            if (candidates.Length < BatchSize || claimed == 0)
            {
                return attempted;
            }
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static Expression<Func<OutboxMessage, bool>> IsDue(DateTime now) =>
        m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now);

    private async Task<bool> TryDeliverAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var now = Now;
        var claimUntil = now.AddSeconds(options.Value.ClaimSeconds);
        var claimed = await db.OutboxMessages.Where(m => m.Id == id).Where(IsDue(now))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.ClaimedBy, WorkerId).SetProperty(m => m.ClaimedUntil, claimUntil), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        var attempt = message.Attempts + 1;
        string destination;
        try
        {
            var settings = await scope.ServiceProvider.GetRequiredService<SmtpSettingsService>().GetEffectiveAsync(cancellationToken);
            message.TextBody = bodies.Unprotect(message.TextBody);
            message.HtmlBody = bodies.Unprotect(message.HtmlBody);
            var mime = MimeMessageFactory.Create(message, settings.From);
            destination = await transports.Select(settings).SendAsync(new OutgoingMail(message.Id, message.Category, mime), settings, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(db, message, attempt, e);
            return true;
        }
        var sentAt = Now;
        await db.OutboxMessages.Where(m => m.Id == id && m.ClaimedBy == WorkerId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Status, OutboxStatus.Sent)
            .SetProperty(m => m.SentAt, sentAt)
            // Delivered: the body (which may hold a code) is no longer needed.
            .SetProperty(m => m.TextBody, "")
            .SetProperty(m => m.HtmlBody, "")
            .SetProperty(m => m.Attempts, attempt)
            .SetProperty(m => m.LastAttemptAt, sentAt)
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
        logger.LogInformation("Mail {MessageId} ({Category}) for a recipient at {RecipientDomain} sent to {Destination} on attempt {Attempt}",
            message.Id, message.Category, MailOutbox.RecipientDomain(message.To), destination, attempt);
        return true;
    }

    private async Task RecordFailureAsync(ConsoleDbContext db, OutboxMessage message, int attempt, Exception error)
    {
        var now = Now;
        var gaveUp = attempt >= options.Value.MaxAttempts;
        var next = gaveUp ? now : now + options.Value.RetryDelay(attempt);
        var status = gaveUp ? OutboxStatus.Failed : OutboxStatus.Pending;
        var text = Describe(error);
        // Not cancellable: a shutdown in the middle must still release the claim and keep the error.
        await db.OutboxMessages.Where(m => m.Id == message.Id && m.ClaimedBy == WorkerId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Attempts, attempt)
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.LastError, text)
            .SetProperty(m => m.LastAttemptAt, now)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
        var domain = MailOutbox.RecipientDomain(message.To);
        if (gaveUp)
        {
            logger.LogError("Gave up mail {MessageId} ({Category}) for a recipient at {RecipientDomain} after {Attempts} attempts: {Error}",
                message.Id, message.Category, domain, attempt, text);
        }
        else
        {
            logger.LogWarning("Mail {MessageId} ({Category}) for a recipient at {RecipientDomain} failed on attempt {Attempt}, next attempt at {NextAttemptAt:u}: {Error}",
                message.Id, message.Category, domain, attempt, next, text);
        }
    }

    private async Task<TimeSpan> TimeUntilNextDueAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var next = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending)
            .Select(m => m.ClaimedUntil != null && m.ClaimedUntil > m.NextAttemptAt ? m.ClaimedUntil.Value : m.NextAttemptAt)
            .OrderBy(t => t).Select(t => (DateTime?)t).FirstOrDefaultAsync(cancellationToken);
        if (next is null)
        {
            return poll;
        }
        var wait = next.Value - Now + TimeSpan.FromMilliseconds(10);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > poll ? poll : wait;
    }

    /// <summary>What went wrong, for the log and for administrators: the exception's type and message, never content.</summary>
    internal static string Describe(Exception error)
    {
        var text = error switch
        {
            OperationCanceledException => "Timed out.",
            SmtpCommandException smtp => $"SMTP {(int)smtp.StatusCode} ({smtp.ErrorCode}): {smtp.Message}",
            _ => $"{error.GetType().Name}: {error.Message}",
        };
        return Truncate(text.ReplaceLineEndings(" "), OutboxMessage.MaxErrorLength);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
