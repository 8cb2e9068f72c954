using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// One password hash as ASP.NET Core Identity's v3 format computes it (PBKDF2-HMAC-SHA512, 128-bit salt, 256-bit
/// subkey) at <c>--iterations</c>: the median of <c>--count</c> on one thread, and the hash-bound sign-in limit
/// (cores ÷ one hash) that no server doing one hash per sign-in can pass.
/// </summary>
public sealed class HashScenario : IScenario
{
    public string Name => "hash";

    public string Description => "median time of one PBKDF2-SHA512 hash (--iterations 210000 --count 15) and cores ÷ that";

    public Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var iterations = options.Number("iterations", 210_000);
        var salt = RandomNumberGenerator.GetBytes(16);
        Rfc2898DeriveBytes.Pbkdf2("warm-up", salt, 1000, HashAlgorithmName.SHA512, 32);
        var times = new List<double>();
        for (var i = 0; i < options.Number("count", 15); i++)
        {
            var started = Stopwatch.GetTimestamp();
            Rfc2898DeriveBytes.Pbkdf2("Tall-Cactus-Mirror-2026", salt, iterations, HashAlgorithmName.SHA512, 32);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var median = new LatencyStats(times, 0).Percentile(50);
        var limit = Environment.ProcessorCount * 1000 / median;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one hash (PBKDF2-SHA512, {iterations} iterations): {median:F1} ms; hash-bound limit {Environment.ProcessorCount} cores ÷ that = {limit:F2} sign-ins/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT hash iterations={iterations} ms={median:F1} limit={limit:F2}"));
        return Task.FromResult(0);
    }
}
