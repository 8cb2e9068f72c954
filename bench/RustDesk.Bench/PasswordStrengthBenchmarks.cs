using BenchmarkDotNet.Attributes;
using RustDesk.Core.Accounts;

namespace RustDesk.Bench;

/// <summary>
/// What one run of the password rule costs (the strength meter runs it on every keystroke). zxcvbn's cost grows
/// steeply with length; <see cref="PasswordStrength.MaxEstimatedLength"/> bounds what it reads, so the longest
/// passwords the rules allow (128 text elements, up to 512 UTF-16 units) cost at most two 64-character estimates.
/// <see cref="Uncapped"/> (zxcvbn on the whole input) shows what the cap saves, <see cref="StaticApi"/> what the
/// shared estimator saves over zxcvbn's static <c>MatchPassword</c>. 512 units are refused by the length rule before
/// the estimator runs.
/// </summary>
[MemoryDiagnoser]
public class PasswordStrengthBenchmarks
{
    private static readonly string?[] Context = ["jonathan.kowalski", "jonathan.kowalski@example.com", "Jonathan Kowalski"];
    private const string L33t = "4@8({[<3&6!|1|7+%$5#2";

    [Params(20, 64, 128, 512)]
    public int Length { get; set; }

    private string _password = "";

    [GlobalSetup]
    public void Setup()
    {
        // l33t symbols make zxcvbn try many substitutions: a costly input for its length. Weak at the start, so the
        // capped estimator reads both pieces (the worst case).
        var tail = string.Concat(Enumerable.Range(0, Length).Select(i => L33t[i % L33t.Length]));
        _password = Length <= 20 ? "Tall-Cactus-Mirror-2026"[..Length] : (new string('a', 64) + tail)[..Length];
    }

    [Benchmark]
    public PasswordVerdict Evaluate() => PasswordRules.Evaluate(_password, Context);

    private static readonly Zxcvbn.Zxcvbn Shared = new();

    [Benchmark]
    public int Uncapped() => Shared.EvaluatePassword(_password, [.. PasswordStrength.ServiceWords, .. Context.OfType<string>()]).Score;

    [Benchmark]
    public int StaticApi() => Length > 64 ? 0 : Zxcvbn.Zxcvbn.MatchPassword(_password, [.. PasswordStrength.ServiceWords, .. Context.OfType<string>()]).Score;
}
