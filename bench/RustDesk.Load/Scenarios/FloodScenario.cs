using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// The attacker: wrong passwords posted to /account/login at a fixed offered rate (open loop, so that a server that
/// answers faster is not sent more), by browsers that fetched the form once and reuse its token. From one client
/// address, or spread over <c>--addresses</c> of them (a distributed flood that stays under a per-address limit).
/// Unknown user names, so no real account is locked. Runs for <c>--duration</c> seconds or until stopped.
/// </summary>
public sealed class FloodScenario : IScenario
{
    public string Name => "flood";

    public string Description => "wrong passwords at --rate 50/s (--in-flight 64, --addresses 1, --duration 60)";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var rate = options.Number("rate", 50);
        var inFlightLimit = options.Number("in-flight", 64);
        var addresses = Math.Max(1, options.Number("addresses", 1));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(options.Number("duration", 60)));
        if (options.Text("stop-on-stdin", "false") == "true")
        {
            // Run by another scenario: it ends the flood by closing our standard input, and reads the summary below.
            _ = Task.Run(async () =>
            {
                await Console.In.ReadToEndAsync(stop.Token);
                await stop.CancelAsync();
            }, CancellationToken.None);
        }

        var browsers = new ConcurrentBag<(ConsoleBrowser Browser, string Token)>();
        var statuses = new ConcurrentDictionary<string, int>();
        var inFlight = 0;
        var skipped = 0;
        var sent = 0;
        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Open loop: the n-th post is due at n / rate seconds.
                var due = TimeSpan.FromSeconds((double)sent / rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    continue;
                }
                sent++;
                if (Interlocked.Increment(ref inFlight) > inFlightLimit)
                {
                    Interlocked.Decrement(ref inFlight);
                    skipped++;
                    continue;
                }
                var index = sent % addresses;
                var address = $"203.0.{113 + index / 250}.{1 + index % 250}";
                running.Add(PostOnceAsync(options, browsers, address, sent, statuses, stop.Token)
                    .ContinueWith(_ => Interlocked.Decrement(ref inFlight), TaskScheduler.Default));
                running.RemoveAll(t => t.IsCompleted);
            }
        }
        finally
        {
            await Task.WhenAll(running);
            foreach (var (browser, _) in browsers)
            {
                browser.Dispose();
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flood: {sent - skipped} posts in {seconds:F0} s ({(sent - skipped) / seconds:F1}/s), {skipped} not sent (in flight limit); answers: ")
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}")));
        return 0;
    }

    private static async Task PostOnceAsync(LoadOptions options, ConcurrentBag<(ConsoleBrowser, string)> browsers, string address,
        int n, ConcurrentDictionary<string, int> statuses, CancellationToken cancellationToken)
    {
        var addresses = Math.Max(1, options.Number("addresses", 1));
        // One browser per client address, reused: a token fetched once serves every post of that browser.
        (ConsoleBrowser Browser, string Token) pick;
        if (addresses > 1 || !browsers.TryTake(out pick))
        {
            var browser = new ConsoleBrowser(options.Url, address);
            try
            {
                pick = (browser, await browser.GetSignInTokenAsync(cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                browser.Dispose();
                statuses.AddOrUpdate("form-error", 1, (_, c) => c + 1);
                return;
            }
        }
        try
        {
            var (status, _) = await pick.Browser.PostSignInAsync(pick.Token, $"flood-{n % 1000}", "not-the-password", cancellationToken);
            statuses.AddOrUpdate(((int)status).ToString(CultureInfo.InvariantCulture), 1, (_, c) => c + 1);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            statuses.AddOrUpdate(cancellationToken.IsCancellationRequested ? "stopped" : "error", 1, (_, c) => c + 1);
        }
        if (addresses > 1)
        {
            pick.Browser.Dispose();
        }
        else
        {
            browsers.Add(pick);
        }
    }
}
