using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Alarms;

/// <summary>When administrators are alarmed about failed sign-ins (configuration section <c>Alarms</c>).</summary>
public sealed class AlarmOptions
{
    public const string Section = "Alarms";

    /// <summary>
    /// Failed sign-ins in a row on one account (since its last successful sign-in, within <see cref="WindowHours"/>)
    /// above which an alarm goes out.
    /// </summary>
    [Range(1, 10_000)]
    public int ConsecutiveFailures { get; set; } = 30;

    /// <summary>Failed sign-ins on all accounts within one minute that raise an alarm.</summary>
    [Range(1, 100_000)]
    public int FailuresPerMinute { get; set; } = 20;

    /// <summary>Failed sign-ins on all accounts within one hour that raise an alarm.</summary>
    [Range(1, 1_000_000)]
    public int FailuresPerHour { get; set; } = 100;

    /// <summary>How far back the failures in a row on one account are counted, in hours (older ones are history, not an attack in progress).</summary>
    [Range(1, 720)]
    public int WindowHours { get; set; } = 24;

    /// <summary>The same alarm is not sent again within this many minutes.</summary>
    [Range(1, 1440)]
    public int QuietMinutes { get; set; } = 60;
}
