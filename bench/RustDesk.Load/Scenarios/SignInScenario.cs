using System.Diagnostics;
using System.Net;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// The legitimate user: a full sign-in in a fresh browser (GET the form, POST the right password, GET the landing
/// page), one after the other; reports p50/p95/p99 of the whole sign-in.
/// </summary>
public sealed class SignInScenario : IScenario
{
    public string Name => "signin";

    public string Description => "full sign-ins one after another (--count 30 --warmup 3); prints p50/p95/p99";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var stats = await MeasureAsync(options, options.Number("count", 30), options.Number("warmup", 3), cancellationToken);
        Console.WriteLine(stats.Summary("sign-in"));
        return stats.Failures == 0 ? 0 : 1;
    }

    public static async Task<LatencyStats> MeasureAsync(LoadOptions options, int count, int warmup, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var failures = 0;
        for (var i = 0; i < warmup + count && !cancellationToken.IsCancellationRequested; i++)
        {
            var clock = Stopwatch.StartNew();
            var ok = await SignInOnceAsync(options, ClientAddress(options, i), cancellationToken);
            clock.Stop();
            if (i < warmup)
            {
                continue;
            }
            if (ok)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
            else
            {
                failures++;
            }
        }
        return new LatencyStats(latencies, failures);
    }

    /// <summary>
    /// The n-th sign-in comes from its own address (people signing in, not one client signing in 30 times a minute,
    /// which the per-address limit would rightly refuse): --client-address is the first, then counting up.
    /// </summary>
    public static string ClientAddress(LoadOptions options, int n)
    {
        var first = System.Net.IPAddress.Parse(options.ClientAddress).GetAddressBytes();
        var value = ((uint)first[0] << 24 | (uint)first[1] << 16 | (uint)first[2] << 8 | first[3]) + (uint)n;
        return new System.Net.IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }

    /// <summary>True when the right password led to a signed-in page.</summary>
    public static async Task<bool> SignInOnceAsync(LoadOptions options, string clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            using var browser = new ConsoleBrowser(options.Url, clientAddress);
            var token = await browser.GetSignInTokenAsync(cancellationToken);
            var (status, location) = await browser.PostSignInAsync(token, options.User, options.Password, cancellationToken);
            if (status != HttpStatusCode.Redirect || location is null || location.OriginalString.Contains("/account/login", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"sign-in answered {(int)status} {location}");
                return false;
            }
            return await browser.GetAsync(location, cancellationToken) == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("sign-in failed: " + e.Message);
            return false;
        }
    }
}
