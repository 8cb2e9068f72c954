using System.Diagnostics;
using System.Globalization;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// The benchmark of docs/performance.md: the legitimate sign-in measured alone, then again while a separate process
/// (this tool's <c>flood</c> scenario, from other client addresses) floods /account/login with wrong passwords.
/// Also measures a plain page view (GET /account/login) under the flood, to show whether the rest of the console
/// stays responsive. Prints a Markdown table row.
/// </summary>
public sealed class SignInUnderFloodScenario : IScenario
{
    public string Name => "signin-under-flood";

    public string Description => "signin alone, then under a flood from another process (flood options pass through; --ramp 3)";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var count = options.Number("count", 30);
        var alone = await SignInScenario.MeasureAsync(options, count, options.Number("warmup", 3), cancellationToken);
        Console.WriteLine(alone.Summary("sign-in alone"));

        using var flood = StartFlood(options);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Number("ramp", 3)), cancellationToken);
            var loaded = await SignInScenario.MeasureAsync(options, count, warmup: 0, cancellationToken);
            Console.WriteLine(loaded.Summary("sign-in under flood"));
            var pages = await MeasurePageViewsAsync(options, count, cancellationToken);
            Console.WriteLine(pages.Summary("page view under flood"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {alone.Percentile(50):F0} | {alone.Percentile(95):F0} | {loaded.Percentile(50):F0} | {loaded.Percentile(95):F0} | " +
                $"{loaded.Percentile(99):F0} | {loaded.Percentile(95) / alone.Percentile(95):F1}× | {loaded.Failures}/{loaded.Count + loaded.Failures} | {pages.Percentile(95):F0} |"));
        }
        finally
        {
            // Closing its input ends the flood, which then prints what it sent and what the console answered.
            flood.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await flood.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                flood.Kill();
            }
        }
        return 0;
    }

    /// <summary>This tool again, as a child process running the flood scenario with the same options.</summary>
    private static Process StartFlood(LoadOptions options)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SignInUnderFloodScenario).Assembly.Location);
        }
        start.ArgumentList.Add("flood");
        foreach (var argument in options.ToArguments())
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--duration");
        start.ArgumentList.Add("3600");
        start.ArgumentList.Add("--stop-on-stdin");
        start.ArgumentList.Add("true");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the flood");
    }

    private static async Task<LatencyStats> MeasurePageViewsAsync(LoadOptions options, int count, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var failures = 0;
        using var browser = new ConsoleBrowser(options.Url, options.ClientAddress);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await browser.GetSignInTokenAsync(cancellationToken);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures++;
            }
        }
        return new LatencyStats(latencies, failures);
    }
}
