namespace RustDesk.Core.Authentication.Lockout;

/// <summary>
/// A browser that completed a sign-in of a user, known by the random device id in its signed <c>rd.device</c>
/// cookie (only the id's SHA-256 is stored). It has its own failure budget, so that failures from anywhere else
/// never lock it out (OWASP "Slow Down Online Guessing Attacks with Device Cookies"). One row per user and
/// device: a browser shared by two users is trusted for each separately.
/// </summary>
public sealed class TrustedDevice
{
    public string UserId { get; set; } = "";

    /// <summary>SHA-256 (hex) of the device id in the cookie.</summary>
    public string DeviceHash { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime LastSignInAt { get; set; }

    /// <summary>The trust ends a year after the last completed sign-in with this device.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>Failed steps within the device's current lockout window.</summary>
    public int FailureCount { get; set; }

    /// <summary>Failed steps since the last completed sign-in with this device; it survives lockouts.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Lockouts of this device since its last completed sign-in (each twice as long as the one before).</summary>
    public int LockoutCount { get; set; }

    /// <summary>End (UTC) of the device's lockout; meanwhile it is treated as an unknown client.</summary>
    public DateTime? LockedOutUntil { get; set; }
}
