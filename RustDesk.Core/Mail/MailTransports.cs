using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace RustDesk.Core.Mail;

/// <summary>A message on its way out, with the outbox id and category it is logged by.</summary>
public sealed record OutgoingMail(long OutboxId, string Category, MimeMessage Message);

/// <summary>Hands a message to where it goes; throws when it could not.</summary>
public interface IMailTransport
{
    /// <summary>Sends <paramref name="mail"/>; returns where it went (for the log), e.g. <c>smtp://host:587</c>.</summary>
    Task<string> SendAsync(OutgoingMail mail, EffectiveSmtpSettings settings, CancellationToken cancellationToken);
}

/// <summary>Picks SMTP when a host is set, otherwise the pickup folder.</summary>
public sealed class MailTransportSelector(SmtpMailTransport smtp, PickupDirectoryMailTransport pickup)
{
    public IMailTransport Select(EffectiveSmtpSettings settings) => settings.UsesSmtp ? smtp : pickup;
}

/// <summary>Delivers through an SMTP server with MailKit.</summary>
public sealed class SmtpMailTransport : IMailTransport
{
    public async Task<string> SendAsync(OutgoingMail mail, EffectiveSmtpSettings settings, CancellationToken cancellationToken)
    {
        var host = settings.Host ?? throw new InvalidOperationException("No SMTP host is set.");
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        // Network time, not TimeProvider: a server that does not answer is measured by the wall clock.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout * 2);
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        await client.ConnectAsync(host, settings.Port, ToMailKit(settings.Security), bounded.Token);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", bounded.Token);
        }
        await client.SendAsync(mail.Message, bounded.Token);
        await client.DisconnectAsync(quit: true, bounded.Token);
        return $"smtp://{settings.Host}:{settings.Port}";
    }

    public static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, null),
    };
}

/// <summary>
/// With no SMTP host: writes each message as an <c>.eml</c> file to the pickup folder, which is what lets
/// <c>dotnet run</c> work without a mail server. Any mail client opens the files.
/// </summary>
public sealed class PickupDirectoryMailTransport(TimeProvider time, ILogger<PickupDirectoryMailTransport> logger) : IMailTransport
{
    private const string TimeFormat = "yyyyMMdd-HHmmss";

    /// <summary>When a file of the pickup folder was written, from its name (the console's clock), or null for other names.</summary>
    public static DateTime? WrittenAt(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length > TimeFormat.Length && DateTime.TryParseExact(name[..TimeFormat.Length], TimeFormat,
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;
    }

    public async Task<string> SendAsync(OutgoingMail mail, EffectiveSmtpSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.PickupDirectory);
        var name = $"{time.GetUtcNow().UtcDateTime.ToString(TimeFormat, System.Globalization.CultureInfo.InvariantCulture)}-{mail.OutboxId}.eml";
        var path = Path.Combine(settings.PickupDirectory, name);
        // Written under a temporary name and renamed, so a reader of the folder never sees half a message.
        var partial = path + ".partial";
        await using (var stream = File.Create(partial))
        {
            await mail.Message.WriteToAsync(stream, cancellationToken);
        }
        File.Move(partial, path, overwrite: true);
        // The recipient in full here: this is the development fallback, and the file beside it holds the message anyway.
        logger.LogInformation("Mail {MessageId} ({Category}) for {Recipient} written to {Path}",
            mail.OutboxId, mail.Category, string.Join(", ", mail.Message.To.Mailboxes.Select(m => m.Address)), path);
        return path;
    }
}

/// <summary>Builds the MIME message of an outbox row: text and HTML as multipart/alternative.</summary>
public static class MimeMessageFactory
{
    public static MimeMessage Create(OutboxMessage message, string from)
    {
        if (!SmtpSettingsRules.TryParseFrom(from, out var sender))
        {
            throw new InvalidOperationException("The sender address (Smtp:From) is not a valid mailbox.");
        }
        var mime = new MimeMessage();
        mime.From.Add(sender);
        mime.To.Add(new MailboxAddress("", message.To));
        mime.Subject = message.Subject;
        mime.Date = new DateTimeOffset(DateTime.SpecifyKind(message.CreatedAt, DateTimeKind.Utc));
        // The same id on every attempt, so a server that received a message whose acknowledgement was lost can drop the copy.
        var domain = MailOutbox.RecipientDomain(sender.Address);
        mime.MessageId = $"outbox.{message.Id}.{message.CreatedAt.Ticks}@{domain}";
        // RFC 3834: automatic replies (vacation notices) should not answer this message.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }
}
