using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Mail;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Mail;

/// <summary>The pickup folder holds codes in clear: its files go after Smtp:PickupRetentionHours, and the start-up log says so.</summary>
public sealed class PickupRetentionTests
{
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out waiting for " + what);
            }
        }
    }

    private static int Passes(CoreHost host) => host.Logs.Lines.Count(l => l.Contains("Mail outbox worker idle", StringComparison.Ordinal));

    private static Task<int> PurgeAsync(CoreHost host) =>
        host.Services.GetRequiredService<PickupFolderRetention>().PurgeAsync();

    [Fact]
    public async Task Purge_EmlOlderThanRetention_IsDeletedYoungerOnesAndOtherFilesStay()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["Smtp:PickupRetentionHours"] = "24" }).InitializeAsync();
        var folder = Path.Combine(host.DataDirectory, "mail");
        await host.EnqueueAsync(MailTestHelpers.Message(subject: "Old code"));
        await host.Worker().ProcessDueAsync();
        var old = Assert.Single(Directory.GetFiles(folder, "*.eml"));
        var partial = old.Replace(".eml", "-9.eml.partial", StringComparison.Ordinal);
        await File.WriteAllTextAsync(partial, "half a message");
        var notes = Path.Combine(folder, "notes.txt");
        await File.WriteAllTextAsync(notes, "not mail");

        // 23 hours later: nothing is old enough yet.
        host.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await PurgeAsync(host));
        await host.EnqueueAsync(MailTestHelpers.Message(subject: "New code"));
        await host.Worker().ProcessDueAsync();

        // Just past 24 hours for the first message (and the half-written file), 1 hour for the second.
        host.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var deleted = await PurgeAsync(host);

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(old));
        Assert.False(File.Exists(partial));
        Assert.Contains("New code", await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(folder, "*.eml"))));
        Assert.True(File.Exists(notes));
    }

    [Fact]
    public async Task WorkerLoop_ExpiredEml_IsDeletedWithoutAnyCall()
    {
        await using var host = await new CoreHost().InitializeAsync();
        var folder = Path.Combine(host.DataDirectory, "mail");
        await host.EnqueueAsync(MailTestHelpers.Message(subject: "A code"));
        var worker = host.Worker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(() => Directory.Exists(folder) && Directory.GetFiles(folder, "*.eml").Length == 1, "the .eml file");
            var file = Directory.GetFiles(folder, "*.eml").Single();

            host.Time.Advance(TimeSpan.FromHours(25));
            // The loop runs on the fake clock's poll timer; waking it (as a queued message would) makes sure a pass
            // runs after the clock moved, whatever the worker was doing when it did.
            var signal = host.Services.GetRequiredService<OutboxSignal>();
            await WaitForAsync(() =>
            {
                signal.Notify();
                return host.Logs.Lines.Any(l => l.Contains("Deleted 1 pickup files older than 24 hours", StringComparison.Ordinal));
            }, "the worker to delete the expired file");

            Assert.False(File.Exists(file));
            Assert.Empty(Directory.GetFiles(folder, "*.eml"));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task WorkerStart_NoSmtpHost_WarnsThatThePickupFolderHoldsCodesInClear()
    {
        await using var host = await new CoreHost().InitializeAsync();
        var worker = host.Worker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(() => Passes(host) > 0, "the first pass");

            var warning = Assert.Single(host.Logs.Lines, l => l.Contains("in clear", StringComparison.Ordinal));
            Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(host.DataDirectory, "mail"), warning, StringComparison.Ordinal);
            Assert.Contains("Smtp:PickupRetentionHours", warning, StringComparison.Ordinal);
            Assert.Contains("Smtp:Host", warning, StringComparison.Ordinal);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task WorkerStart_SmtpHostConfigured_SaysNothingAboutThePickupFolder()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = "2525" }).InitializeAsync();
        var worker = host.Worker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(() => Passes(host) > 0, "the first pass");

            Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("in clear", StringComparison.Ordinal));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}
