using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Sessions;

/// <summary>Cookie sessions (configuration section <c>Sessions</c>).</summary>
public sealed class ConsoleSessionOptions
{
    public const string Section = "Sessions";

    /// <summary>Lifetime of a Remember me session, in days, counted from its last activity (sliding); also the persistent cookie's lifetime.</summary>
    [Range(1, 365)]
    public int PersistentDays { get; set; } = 30;

    /// <summary>Lifetime of a browser session without Remember me, in hours, counted from its last activity (sliding).</summary>
    [Range(1, 168)]
    public int BrowserSessionHours { get; set; } = 12;

    /// <summary>
    /// Absolute lifetime of every session, in days from its sign-in, whatever its activity (ASVS 7.3.2); at least
    /// <see cref="PersistentDays"/> and <see cref="BrowserSessionHours"/>.
    /// </summary>
    [Range(1, 365)]
    public int AbsoluteDays { get; set; } = 30;

    /// <summary>How often an open console page re-checks its session (revoked, password changed, account disabled).</summary>
    [Range(1, 60)]
    public int RevalidationSeconds { get; set; } = 30;

    /// <summary>How often activity moves a session's expiry (and a persistent cookie's): at most once per this interval.</summary>
    public static readonly TimeSpan SlidingResolution = TimeSpan.FromMinutes(1);

    /// <summary>False when the absolute lifetime is shorter than a sliding one (start-up refuses that configuration).</summary>
    public bool AbsoluteCoversSliding =>
        TimeSpan.FromDays(AbsoluteDays) >= TimeSpan.FromDays(PersistentDays)
        && TimeSpan.FromDays(AbsoluteDays) >= TimeSpan.FromHours(BrowserSessionHours);

    public TimeSpan SlidingLifetime(bool persistent) =>
        persistent ? TimeSpan.FromDays(PersistentDays) : TimeSpan.FromHours(BrowserSessionHours);

    public TimeSpan AbsoluteLifetime => TimeSpan.FromDays(AbsoluteDays);

    /// <summary>When a session signed in at <paramref name="createdAt"/> and last active at <paramref name="activeAt"/> ends.</summary>
    public DateTime ExpiresAt(DateTime createdAt, DateTime activeAt, bool persistent)
    {
        var sliding = activeAt + SlidingLifetime(persistent);
        var absolute = createdAt + AbsoluteLifetime;
        return sliding < absolute ? sliding : absolute;
    }

    /// <summary>Sessions created at or before this instant are past their absolute lifetime.</summary>
    public DateTime AbsoluteCutoff(DateTime now) => now - AbsoluteLifetime;
}
