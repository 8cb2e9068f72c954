using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;

namespace RustDesk.Core.Alarms;

/// <summary>
/// Watches failed sign-ins in the audit log: more than <see cref="AlarmOptions.ConsecutiveFailures"/> in a row on one
/// account within the last <see cref="AlarmOptions.WindowHours"/>, or a burst within a minute or an hour across all
/// accounts (aggregate rows count with their <see cref="AuditEvent.Count"/>), emails every administrator who enabled
/// "alarm event email notification" (through the outbox). Each alarm is itself audited, which also keeps it quiet
/// for <see cref="AlarmOptions.QuietMinutes"/>.
/// </summary>
public sealed class AlarmService(
    ConsoleDbContext db,
    AuditLog audit,
    MailOutbox outbox,
    IOptions<AlarmOptions> options,
    TimeProvider time,
    ILogger<AlarmService> logger)
{
    /// <summary>
    /// The failures the alarms count: failed and refused sign-in steps, and wrong secrets inside a session (re-verification,
    /// the 2FA dialogs, the password change), which were audited as failed sign-ins before they had a kind of their own.
    /// </summary>
    private static readonly string[] FailureKinds = [AuditKinds.SignInFailed, AuditKinds.SignInLockedOut, AuditKinds.ReVerificationFailed];

    /// <summary>Called after a failed sign-in step was audited.</summary>
    public async Task CheckAsync(string? userId, string? userName, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        if (userId is not null)
        {
            var lastSuccess = await db.AuditEvents.Where(e => e.TargetUserId == userId && e.Kind == AuditKinds.SignInSucceeded)
                .MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            var windowStart = now.AddHours(-o.WindowHours);
            var inARow = await db.AuditEvents
                .Where(e => e.TargetUserId == userId && e.Id > lastSuccess && e.At > windowStart && FailureKinds.Contains(e.Kind))
                .SumAsync(e => e.Count, cancellationToken);
            if (inARow > o.ConsecutiveFailures)
            {
                await RaiseAsync(AuditDetails.AlarmConsecutive, userId, userName, "Alarm.Consecutive", inARow, cancellationToken);
            }
        }
        var minuteAgo = now.AddMinutes(-1);
        var lastMinute = await db.AuditEvents.Where(e => e.At > minuteAgo && FailureKinds.Contains(e.Kind)).SumAsync(e => e.Count, cancellationToken);
        if (lastMinute >= o.FailuresPerMinute)
        {
            await RaiseAsync(AuditDetails.AlarmPerMinute, null, null, "Alarm.PerMinute", lastMinute, cancellationToken);
        }
        var hourAgo = now.AddHours(-1);
        var lastHour = await db.AuditEvents.Where(e => e.At > hourAgo && FailureKinds.Contains(e.Kind)).SumAsync(e => e.Count, cancellationToken);
        if (lastHour >= o.FailuresPerHour)
        {
            await RaiseAsync(AuditDetails.AlarmPerHour, null, null, "Alarm.PerHour", lastHour, cancellationToken);
        }
    }

    private async Task RaiseAsync(string alarm, string? userId, string? userName, string textKey, int count, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime.AddMinutes(-options.Value.QuietMinutes);
        var detail = AuditDetails.AlarmText(alarm);
        if (await db.AuditEvents.AnyAsync(e => e.Kind == AuditKinds.AlarmRaised && e.Detail == detail && e.TargetUserId == userId && e.At > since, cancellationToken))
        {
            return;
        }
        await audit.AppendAsync(AuditKinds.AlarmRaised, null, AuditActors.System, userId, userName, AuditDetails.Alarm(alarm, count), cancellationToken: cancellationToken);
        var recipients = await db.Users.AsNoTracking()
            .Where(u => u.AlarmNotificationEnabled && u.Email != null && u.Status == UserStatus.Active
                && db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(role => role.Id == r.RoleId && role.Name == Roles.Administrator)))
            .Select(u => new { u.Email, u.PreferredCulture })
            .ToListAsync(cancellationToken);
        foreach (var recipient in recipients)
        {
            var message = MailTemplates.Build(recipient.PreferredCulture, recipient.Email!, "alarm", "Alarm.Subject", "Alarm.Headline",
            [
                MailTemplates.Text(recipient.PreferredCulture, textKey, count, userName ?? ""),
                MailTemplates.Text(recipient.PreferredCulture, "Alarm.Action"),
            ]);
            await outbox.EnqueueAsync(message, cancellationToken);
        }
        logger.LogWarning("Alarm {Alarm} raised ({Count} failed sign-ins); {Recipients} administrators notified", alarm, count, recipients.Count);
    }
}
