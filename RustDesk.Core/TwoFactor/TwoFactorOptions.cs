using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.TwoFactor;

/// <summary>TOTP two-factor authentication (configuration section <c>TwoFactor</c>).</summary>
public sealed class TwoFactorOptions
{
    public const string Section = "TwoFactor";

    /// <summary>Issuer shown in authenticator apps (the label's prefix and the <c>issuer</c> parameter).</summary>
    [Required, StringLength(64, MinimumLength = 1), RegularExpression("^[^:]+$", ErrorMessage = "TwoFactor:Issuer may not contain ':'.")]
    public string Issuer { get; set; } = "RustDesk";

    /// <summary>Days after the last secret change at which 2FA shows as expired (it keeps working).</summary>
    [Range(1, 3650)]
    public int ExpiryDays { get; set; } = 180;

    /// <summary>Days before expiry from which the console reminds the user to renew.</summary>
    [Range(0, 365)]
    public int ReminderDays { get; set; } = 14;

    /// <summary>How long one re-verification covers further settings changes (0 = every change).</summary>
    [Range(0, 60)]
    public int ReVerificationMinutes { get; set; } = 5;

    /// <summary>How long a QR code shown in the enable dialog stays valid.</summary>
    [Range(1, 60)]
    public int EnrollmentLifetimeMinutes { get; set; } = 15;

    /// <summary>Wrong codes allowed against one enable dialog before its secret is discarded.</summary>
    [Range(1, 100)]
    public int EnrollmentMaxAttempts { get; set; } = 10;

    /// <summary>PBKDF2-HMAC-SHA256 iterations for backup-code hashes; see bench/ for the cost of checking six.</summary>
    [Range(1_000, 1_000_000)]
    public int BackupCodeHashIterations { get; set; } = 20_000;
}
