using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Accounts;

/// <summary>Password hashing and lockout (configuration section <c>Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>PBKDF2-HMAC-SHA512 iterations; OWASP's 2023 figure is 210,000. Older hashes are upgraded at sign-in.</summary>
    [Range(210_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>Failed sign-in steps (password or second factor) after which the account locks for unknown clients.</summary>
    [Range(3, 100)]
    public int LockoutFailures { get; set; } = 10;

    /// <summary>How long the first lockout lasts, in minutes; the n-th since the last sign-in lasts 2^(n−1) times as long.</summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Upper bound of a growing lockout, in minutes (default one day).</summary>
    [Range(1, 10_080)]
    public int MaxLockoutMinutes { get; set; } = 1440;

    /// <summary>
    /// Failures in a row (since the last completed sign-in) at which the account stays locked for unknown clients until
    /// an administrator unlocks it, a browser with a device cookie signs in, or <c>set-password</c> runs. NIST 800-63B
    /// §5.2.2 allows at most 100.
    /// </summary>
    [Range(1, 100)]
    public int MaxConsecutiveFailures { get; set; } = 100;

    /// <summary>Failed steps a browser with a device cookie may make (its own budget) before it, too, is locked for a while.</summary>
    [Range(3, 100)]
    public int DeviceLockoutFailures { get; set; } = 10;

    /// <summary>The length of the <paramref name="n"/>-th lockout since the last completed sign-in: 15, 30, 60 … minutes, capped.</summary>
    public TimeSpan LockoutDuration(int n)
    {
        var minutes = (double)LockoutMinutes * Math.Pow(2, Math.Clamp(n, 1, 30) - 1);
        return TimeSpan.FromMinutes(Math.Min(minutes, Math.Max(MaxLockoutMinutes, LockoutMinutes)));
    }

    /// <summary>Failed attempts an attacker can make per account per hour with these settings.</summary>
    public int MaxFailuresPerHour => (int)Math.Ceiling(60.0 / LockoutMinutes) * LockoutFailures;
}

/// <summary>Bootstrap of the first administrator (section <c>Bootstrap</c>).</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    /// <summary>Password of <c>admin</c> on an empty database; a random one is logged once when empty.</summary>
    public string? AdminPassword { get; set; }
}
