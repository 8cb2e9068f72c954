using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Mail;

internal static class MailTestHelpers
{
    public static MailMessageContent Message(string to = "jane@example.com", string subject = "Hello", string body = "Body text") =>
        new(to, subject, body, $"<p>{body}</p>", "test");

    public static Task<long> EnqueueAsync(this CoreHost host, MailMessageContent message) =>
        host.WithAsync<MailOutbox, long>(o => o.EnqueueAsync(message));

    public static Task<MailDeliveryState?> StateAsync(this CoreHost host, long id) =>
        host.WithAsync<MailOutbox, MailDeliveryState?>(o => o.GetDeliveryStateAsync(id));

    public static Task<OutboxMessage> RowAsync(this CoreHost host, long id) =>
        host.WithAsync<ConsoleDbContext, OutboxMessage>(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    public static OutboxWorker Worker(this CoreHost host) => host.Services.GetRequiredService<OutboxWorker>();

    /// <summary>A host whose configured SMTP server is <paramref name="listener"/> (running or not).</summary>
    public static Task<CoreHost> HostFor(SmtpListener listener, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(listener.Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new CoreHost(settings).InitializeAsync();
    }
}
