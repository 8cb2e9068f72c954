using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Accounts;

/// <summary>Password hashing and lockout (configuration section <c>Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>PBKDF2-HMAC-SHA512 iterations; OWASP's 2023 figure is 210,000. Older hashes are upgraded at sign-in.</summary>
    [Range(210_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>Failed sign-in steps (password or second factor) after which the account locks.</summary>
    [Range(3, 100)]
    public int LockoutFailures { get; set; } = 10;

    /// <summary>How long a lockout lasts, in minutes.</summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

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
