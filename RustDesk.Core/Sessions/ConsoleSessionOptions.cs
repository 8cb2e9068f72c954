using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Sessions;

/// <summary>Cookie sessions (configuration section <c>Sessions</c>).</summary>
public sealed class ConsoleSessionOptions
{
    public const string Section = "Sessions";

    /// <summary>Lifetime of a Remember me session, in days (sliding).</summary>
    [Range(1, 365)]
    public int PersistentDays { get; set; } = 30;

    /// <summary>Lifetime of a browser session without Remember me, in hours (sliding).</summary>
    [Range(1, 168)]
    public int BrowserSessionHours { get; set; } = 12;

    /// <summary>How often an open console page re-checks its session (revoked, password changed, account disabled).</summary>
    [Range(1, 60)]
    public int RevalidationSeconds { get; set; } = 30;
}
