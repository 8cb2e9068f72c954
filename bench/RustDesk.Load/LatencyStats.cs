using System.Globalization;

namespace RustDesk.Load;

/// <summary>Latencies of one measured series: nearest-rank percentiles, in milliseconds.</summary>
public sealed class LatencyStats(IReadOnlyList<double> milliseconds, int failures)
{
    public int Count => milliseconds.Count;

    public int Failures => failures;

    public double Percentile(double p)
    {
        if (milliseconds.Count == 0)
        {
            return double.NaN;
        }
        var sorted = milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public string Summary(string label) => string.Create(CultureInfo.InvariantCulture,
        $"{label}: n={Count} failed={Failures} p50={Percentile(50):F0} ms p95={Percentile(95):F0} ms p99={Percentile(99):F0} ms");
}
