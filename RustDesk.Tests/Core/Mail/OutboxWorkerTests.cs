using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Mail;

public sealed class OutboxWorkerTests : IAsyncLifetime
{
    private readonly SmtpListener _smtp = new();

    public async Task InitializeAsync() => await _smtp.StartAsync();

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task ProcessDue_SmtpServerUp_DeliversTextAndHtmlWithFromToAndSubject()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp);
        var id = await host.EnqueueAsync(MailTestHelpers.Message("jane@example.com", "Greetings", "Plain words"));

        var attempted = await host.Worker().ProcessDueAsync();

        Assert.Equal(1, attempted);
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("Greetings", message.Subject);
        Assert.Equal("jane@example.com", Assert.Single(message.To.Mailboxes).Address);
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(("RustDesk Console", "console@example.com"), (from.Name, from.Address));
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        Assert.Contains("Plain words", message.TextBody);
        Assert.Contains("<p>Plain words</p>", message.HtmlBody);
        Assert.Equal(MailDeliveryState.Sent, await host.StateAsync(id));
        var row = await host.RowAsync(id);
        Assert.Equal((OutboxStatus.Sent, 1, null, null), (row.Status, row.Attempts, row.ClaimedBy, row.LastError));
        Assert.Equal(host.Time.GetUtcNow().UtcDateTime, row.SentAt);
    }

    [Fact]
    public async Task ProcessDue_NoHost_WritesEmlFileToPickupFolderAndLogsWhere()
    {
        await using var host = await new CoreHost().InitializeAsync();
        var id = await host.EnqueueAsync(MailTestHelpers.Message("jane@example.com", "Picked up", "Dev body"));

        await host.Worker().ProcessDueAsync();

        var folder = Path.Combine(host.DataDirectory, "mail");
        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.EndsWith(".eml", file);
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("Picked up", message.Subject);
        Assert.Contains("Dev body", message.TextBody);
        Assert.NotNull(message.HtmlBody);
        Assert.Equal(MailDeliveryState.Sent, await host.StateAsync(id));
        Assert.Contains(host.Logs.Lines, l => l.Contains("jane@example.com") && l.Contains("written to " + file));
    }

    [Fact]
    public async Task ProcessDue_SmtpDown_KeepsMessagePendingAndDeliversItOnceWhenTheServerIsBack()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp);
        await _smtp.StopAsync();
        var id = await host.EnqueueAsync(MailTestHelpers.Message(body: "secret-body-482913"));

        await host.Worker().ProcessDueAsync();

        var failed = await host.RowAsync(id);
        Assert.Equal((OutboxStatus.Pending, 1, (string?)null), (failed.Status, failed.Attempts, failed.ClaimedBy));
        Assert.False(string.IsNullOrEmpty(failed.LastError));
        Assert.Equal(host.Time.GetUtcNow().UtcDateTime.AddSeconds(15), failed.NextAttemptAt);
        Assert.Equal(MailDeliveryState.Failing, await host.StateAsync(id));

        // Back, but the back-off has not passed: nothing is attempted yet.
        await _smtp.StartAsync();
        Assert.Equal(0, await host.Worker().ProcessDueAsync());
        Assert.Empty(_smtp.Messages);

        host.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(1, await host.Worker().ProcessDueAsync());
        Assert.Equal(0, await host.Worker().ProcessDueAsync());

        var message = Assert.Single(_smtp.Messages);
        Assert.Contains("secret-body-482913", message.TextBody);
        Assert.Equal(MailDeliveryState.Sent, await host.StateAsync(id));
        Assert.Equal(2, (await host.RowAsync(id)).Attempts);
        Assert.DoesNotContain("secret-body-482913", host.Logs.AllText);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning") && l.Contains($"Mail {id} (test)") && l.Contains("example.com"));
        Assert.DoesNotContain("jane@example.com", host.Logs.AllText);
    }

    [Fact]
    public async Task ProcessDue_TwoWorkersConcurrently_DeliverEachOf20MessagesExactlyOnce()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp);
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await host.EnqueueAsync(MailTestHelpers.Message(subject: $"Message {i}")));
        }
        var first = ActivatorUtilities.CreateInstance<OutboxWorker>(host.Services);
        var second = ActivatorUtilities.CreateInstance<OutboxWorker>(host.Services);

        var attempted = await Task.WhenAll(Task.Run(() => first.ProcessDueAsync()), Task.Run(() => second.ProcessDueAsync()));

        Assert.Equal(20, attempted.Sum());
        var subjects = _smtp.Messages.Select(m => m.Subject).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"Message {i}").Order(), subjects);
        foreach (var id in ids)
        {
            var row = await host.RowAsync(id);
            Assert.Equal((OutboxStatus.Sent, 1), (row.Status, row.Attempts));
        }
    }

    [Fact]
    public async Task ProcessDue_RepeatedFailures_BackOffDoublesUpToTheCap()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp, new Dictionary<string, string?> { ["Smtp:Outbox:MaxRetrySeconds"] = "100" });
        await _smtp.StopAsync();
        var id = await host.EnqueueAsync(MailTestHelpers.Message());
        var waits = new List<double>();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(1, await host.Worker().ProcessDueAsync());
            var row = await host.RowAsync(id);
            var wait = row.NextAttemptAt - row.LastAttemptAt!.Value;
            waits.Add(wait.TotalSeconds);
            host.Time.Advance(wait);
        }

        Assert.Equal([15, 30, 60, 100, 100], waits);
    }

    [Fact]
    public async Task ProcessDue_MaxAttemptsReached_GivesUpAsFailedAndNeverSends()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp, new Dictionary<string, string?> { ["Smtp:Outbox:MaxAttempts"] = "3" });
        await _smtp.StopAsync();
        var id = await host.EnqueueAsync(MailTestHelpers.Message());

        for (var i = 0; i < 3; i++)
        {
            await host.Worker().ProcessDueAsync();
            host.Time.Advance(TimeSpan.FromMinutes(30));
        }
        await _smtp.StartAsync();
        var attemptedAfterGivingUp = await host.Worker().ProcessDueAsync();

        Assert.Equal(0, attemptedAfterGivingUp);
        Assert.Empty(_smtp.Messages);
        var row = await host.RowAsync(id);
        Assert.Equal((OutboxStatus.Failed, 3), (row.Status, row.Attempts));
        Assert.Equal(MailDeliveryState.Failed, await host.StateAsync(id));
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error") && l.Contains($"Gave up mail {id}"));
    }

    [Fact]
    public async Task ProcessDue_MessageClaimedByAnotherInstance_IsLeftAloneUntilTheClaimExpires()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp);
        var id = await host.EnqueueAsync(MailTestHelpers.Message());
        var claimedUntil = host.Time.GetUtcNow().UtcDateTime.AddSeconds(120);
        await host.WithAsync<ConsoleDbContext, int>(db => db.OutboxMessages.Where(m => m.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.ClaimedBy, "other-instance").SetProperty(m => m.ClaimedUntil, claimedUntil)));

        var whileClaimed = await host.Worker().ProcessDueAsync();
        host.Time.Advance(TimeSpan.FromSeconds(121));
        var afterExpiry = await host.Worker().ProcessDueAsync();

        Assert.Equal((0, 1), (whileClaimed, afterExpiry));
        Assert.Single(_smtp.Messages);
    }

    [Fact]
    public async Task GetDeliveryState_NewMessage_IsPendingAndUnknownIdIsNull()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp);
        var id = await host.EnqueueAsync(MailTestHelpers.Message());

        Assert.Equal(MailDeliveryState.Pending, await host.StateAsync(id));
        Assert.Null(await host.StateAsync(id + 1000));
    }

    [Fact]
    public async Task Enqueue_WorkerRunning_IsDeliveredWithoutWaitingForThePoll()
    {
        await using var host = await MailTestHelpers.HostFor(_smtp);
        var worker = host.Worker();
        using var stop = new CancellationTokenSource();
        await worker.StartAsync(stop.Token);
        try
        {
            // The worker has done its first pass and waits; its poll timer runs on fake time that never moves,
            // so only the signal from EnqueueAsync can start the delivery.
            await WaitForLogAsync(host, "Mail outbox worker idle");
            await host.EnqueueAsync(MailTestHelpers.Message(subject: "Woken"));

            var message = await _smtp.WaitForMessageAsync(m => m.Subject == "Woken");

            Assert.Equal("Woken", message.Subject);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForLogAsync(CoreHost host, string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!host.Logs.Lines.Any(l => l.Contains(text)))
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
