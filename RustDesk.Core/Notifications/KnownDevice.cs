namespace RustDesk.Core.Notifications;

/// <summary>A browser and operating system a user has signed in from before (to notice a new one).</summary>
public sealed class KnownDevice
{
    public string UserId { get; set; } = "";

    /// <summary>SHA-256 (hex) of the browser and operating system named in the user agent.</summary>
    public string DeviceHash { get; set; } = "";

    public DateTime FirstSeenAt { get; set; }

    public DateTime LastSeenAt { get; set; }
}
