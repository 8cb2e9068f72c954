using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Notifications;

public enum SecurityEvent
{
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorRenewed,
    BackupCodesGenerated,
    BackupCodeUsed,
    PasswordChanged,
    TotpReplayRefused,
    NewDeviceSignIn,
    /// <summary>A passkey was registered (audited by the passkey service, with its name).</summary>
    PasskeyAdded,
    /// <summary>A passkey was removed (audited by the passkey service, with its name).</summary>
    PasskeyRemoved,
}

/// <summary>Where a security event came from, shown in the notification.</summary>
public sealed record EventOrigin(string? IpAddress, string? UserAgent)
{
    public static readonly EventOrigin Unknown = new(null, null);
}

/// <summary>
/// Emails the user (through the outbox, in their language) when their account's security changes: what happened,
/// when, from where, and what to do if it was not them. Users without an address get nothing.
/// </summary>
public sealed class SecurityNotifier(ConsoleDbContext db, MailOutbox outbox, Audit.AuditLog audit, TimeProvider time, ILogger<SecurityNotifier> logger)
{
    public const string Category = "security";

    /// <param name="audited">False when the caller audits the change itself (a staff action names its actor there).</param>
    public async Task NotifyAsync(string userId, SecurityEvent securityEvent, EventOrigin? origin = null, int? count = null,
        bool audited = true, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Email, u.PreferredCulture, u.UserName }).SingleOrDefaultAsync(cancellationToken);
        if (audited && AuditKindOf(securityEvent) is { } kind)
        {
            // The user acted on their own account; the audit log keeps the event even when no mail can be sent.
            await audit.AppendAsync(kind, userId, user?.UserName ?? "", userId, user?.UserName,
                count is null ? null : Audit.AuditDetails.BackupCodesLeft(count.Value), origin?.IpAddress, origin?.UserAgent, cancellationToken);
        }
        if (string.IsNullOrEmpty(user?.Email))
        {
            return;
        }
        var culture = user.PreferredCulture;
        var unknown = MailTemplates.Text(culture, "Common.Unknown");
        var browser = UserAgentDescription.Parse(origin?.UserAgent).Summary;
        var when = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var prefix = "Notify." + securityEvent + ".";
        var message = MailTemplates.Build(culture, user.Email, Category, prefix + "Subject", prefix + "Headline",
            [
                MailTemplates.Text(culture, prefix + "Body", count ?? 0),
                MailTemplates.Text(culture, "Notify.When", when),
                MailTemplates.Text(culture, "Notify.From", string.IsNullOrEmpty(origin?.IpAddress) ? unknown : origin.IpAddress,
                    browser.Length > 0 ? browser : unknown),
                MailTemplates.Text(culture, "Notify.NotYou"),
            ]);
        try
        {
            var id = await outbox.EnqueueAsync(message, cancellationToken);
            logger.LogInformation("Queued a {Event} notification for user {UserId} (message {MessageId})", securityEvent, userId, id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change itself has happened; a notification that cannot be queued must not undo or hide it.
            logger.LogError(e, "Could not queue a {Event} notification for user {UserId}", securityEvent, userId);
        }
    }

    private static string? AuditKindOf(SecurityEvent securityEvent) => securityEvent switch
    {
        SecurityEvent.TwoFactorEnabled => Audit.AuditKinds.TwoFactorEnabled,
        SecurityEvent.TwoFactorDisabled => Audit.AuditKinds.TwoFactorDisabled,
        SecurityEvent.TwoFactorRenewed => Audit.AuditKinds.TwoFactorRenewed,
        SecurityEvent.BackupCodesGenerated => Audit.AuditKinds.BackupCodesGenerated,
        SecurityEvent.BackupCodeUsed => Audit.AuditKinds.BackupCodeUsed,
        SecurityEvent.PasswordChanged => Audit.AuditKinds.PasswordChanged,
        SecurityEvent.TotpReplayRefused => Audit.AuditKinds.TotpReplayRefused,
        _ => null,
    };

    /// <summary>The IP address and browser a session was signed in from.</summary>
    public async Task<EventOrigin> OriginOfSessionAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        if (sessionId is null)
        {
            return EventOrigin.Unknown;
        }
        var row = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.IpAddress, s.UserAgent }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? EventOrigin.Unknown : new EventOrigin(row.IpAddress, row.UserAgent);
    }
}
