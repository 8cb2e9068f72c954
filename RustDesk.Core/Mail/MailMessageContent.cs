namespace RustDesk.Core.Mail;

/// <summary>
/// One message to send, already rendered in the recipient's language (see <see cref="MailTemplates"/>).
/// <see cref="Category"/> names the kind of message in logs and in the outbox (e.g. <c>email-code</c>), never its content.
/// </summary>
public sealed record MailMessageContent(string To, string Subject, string TextBody, string HtmlBody, string Category);

/// <summary>Categories of outgoing mail, as stored in the outbox and logged.</summary>
public static class MailCategories
{
    public const string EmailCode = "email-code";
    public const string SmtpTest = "smtp-test";
}
