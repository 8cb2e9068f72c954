using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.EmailVerification;

/// <summary>Emailed sign-in and address-confirmation codes (configuration section <c>EmailVerification</c>).</summary>
public sealed class EmailVerificationOptions
{
    public const string Section = "EmailVerification";

    /// <summary>Minutes an emailed code (and the pending sign-in it belongs to) stays valid: at most 10 (ASVS 5.0 6.5.5).</summary>
    [Range(1, 10)]
    public int CodeLifetimeMinutes { get; set; } = 10;

    /// <summary>Wrong entries after which a code is void.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Seconds between two sends of a code for the same sign-in or address.</summary>
    [Range(0, 600)]
    public int ResendCooldownSeconds { get; set; } = 60;

    public TimeSpan CodeLifetime => TimeSpan.FromMinutes(CodeLifetimeMinutes);
}
