using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.RateLimiting;

/// <summary>
/// Limits on guessing and on the CPU that guessing costs (configuration section <c>RateLimits</c>). The per-address
/// limit is applied by the web host (<c>RustDesk.Web/Hosting/SignInRateLimiting</c>); the hashing gate is
/// <see cref="PasswordHashGate"/>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>
    /// Form posts per minute that one client address may send to the sign-in pages and code endpoints together
    /// (after a burst of <see cref="SignInBurst"/>, one every 60/n seconds); page views are not limited.
    /// </summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>Form posts one client address may send at once before the per-minute pace applies (at most <see cref="SignInPerMinute"/>).</summary>
    [Range(1, 100_000)]
    public int SignInBurst { get; set; } = 10;

    /// <summary>Password hashes computed at the same time; 0 = one per processor.</summary>
    [Range(0, 1024)]
    public int PasswordHashConcurrency { get; set; }

    /// <summary>Sign-in requests that may wait for a hashing slot; one more is refused as busy (503).</summary>
    [Range(0, 10_000)]
    public int PasswordHashQueue { get; set; } = 8;

    /// <summary>The hashing concurrency in effect.</summary>
    public int EffectiveHashConcurrency => PasswordHashConcurrency > 0 ? PasswordHashConcurrency : Environment.ProcessorCount;
}
