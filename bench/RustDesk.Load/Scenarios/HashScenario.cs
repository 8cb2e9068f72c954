using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// The hash-bound sign-in limit: password hashes as ASP.NET Core Identity's v3 format computes them (PBKDF2-HMAC-SHA512,
/// 128-bit salt, 256-bit subkey) at <c>--iterations</c>. Prints the median of one hash on one thread, cores ÷ that
/// (the limit on an idle machine), and the hashes per second that <c>--threads</c> (default: one per core) reach
/// together in <c>--seconds</c> — the limit on a machine shared with other work, where a core is not a whole core.
/// </summary>
public sealed class HashScenario : IScenario
{
    public string Name => "hash";

    public string Description => "one PBKDF2-SHA512 hash (--iterations 210000 --count 10), cores ÷ that, and hashes/s on all cores (--seconds 10)";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var iterations = options.Number("iterations", 210_000);
        var salt = RandomNumberGenerator.GetBytes(16);
        Rfc2898DeriveBytes.Pbkdf2("warm-up", salt, 1000, HashAlgorithmName.SHA512, 32);
        var times = new List<double>();
        var cpuTimes = new List<double>();
        for (var i = 0; i < options.Number("count", 10); i++)
        {
            var started = Stopwatch.GetTimestamp();
            var cpuStarted = ServerCpu.ThreadSeconds();
            Rfc2898DeriveBytes.Pbkdf2("Tall-Cactus-Mirror-2026", salt, iterations, HashAlgorithmName.SHA512, 32);
            cpuTimes.Add((ServerCpu.ThreadSeconds() - cpuStarted) * 1000);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var cpuMedian = new LatencyStats(cpuTimes, 0).Percentile(50);
        var median = new LatencyStats(times, 0).Percentile(50);
        var limit = Environment.ProcessorCount * 1000 / median;

        var threads = options.Number("threads", Environment.ProcessorCount);
        var window = TimeSpan.FromSeconds(options.Number("seconds", 10));
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            while (clock.Elapsed < window)
            {
                Rfc2898DeriveBytes.Pbkdf2("Tall-Cactus-Mirror-2026", salt, iterations, HashAlgorithmName.SHA512, 32);
                Interlocked.Increment(ref done);
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        var parallel = done / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one hash (PBKDF2-SHA512, {iterations} iterations): {median:F1} ms ({cpuMedian:F1} ms of CPU); {Environment.ProcessorCount} cores ÷ that = {limit:F2}/s; " +
            $"{threads} threads hashing together: {parallel:F2}/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT hash iterations={iterations} ms={median:F1} cpu_ms={cpuMedian:F1} limit={limit:F2} parallel={parallel:F2}"));
        return 0;
    }
}
