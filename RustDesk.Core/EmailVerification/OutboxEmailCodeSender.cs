using RustDesk.Core.Mail;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.EmailVerification;

/// <summary>Emailed codes go through the outbox like every other message, in the user's language.</summary>
public sealed class OutboxEmailCodeSender(MailOutbox outbox) : IEmailCodeSender
{
    public Task<long> QueueAsync(EmailCodeDelivery delivery, CancellationToken cancellationToken = default)
    {
        var browser = UserAgentDescription.Parse(delivery.UserAgent).Summary;
        var message = MailTemplates.EmailCodeMessage(delivery.Culture, delivery.To, delivery.Code, delivery.Purpose,
            (int)Math.Ceiling(delivery.ExpiresIn.TotalMinutes), delivery.IpAddress, browser.Length > 0 ? browser : null);
        return outbox.EnqueueAsync(message, cancellationToken);
    }

    public async Task<bool> HasFailedAsync(long messageId, CancellationToken cancellationToken = default) =>
        await outbox.GetDeliveryStateAsync(messageId, cancellationToken) is MailDeliveryState.Failing or MailDeliveryState.Failed;
}
