using System.Globalization;

namespace RustDesk.Web.Components.Shared;

/// <summary>
/// The console's one date and time format per culture, in a given time zone, with the zone named: English
/// <c>Nov 30, 2026, 14:05 UTC+1</c>, German <c>30.11.2026, 14:05 UTC+1</c>; in UTC simply <c>… UTC</c>. The zone is
/// named by the browser's abbreviation of its offset at that instant when the browser has one for the language
/// (<c>MEZ</c>/<c>MESZ</c> in German, <c>EST</c>/<c>EDT</c> in English; see <see cref="BrowserTimeZone"/>: .NET has no
/// localized zone abbreviations), otherwise by the offset itself, which is unambiguous in every language.
/// </summary>
public static class LocalTimeFormat
{
    /// <param name="names">The browser's names of the zone's offsets (<see cref="BrowserTimeZone.Names"/>); none: offsets.</param>
    public static string DateTime(DateTime utc, TimeZoneInfo zone, CultureInfo culture, IReadOnlyDictionary<TimeSpan, string>? names = null)
    {
        var local = ToLocal(utc, zone);
        var pattern = IsGerman(culture) ? "dd.MM.yyyy, HH:mm" : "MMM d, yyyy, HH:mm";
        return local.ToString(pattern, culture) + " " + ZoneName(utc, zone, names);
    }

    public static string Date(DateTime utc, TimeZoneInfo zone, CultureInfo culture) =>
        ToLocal(utc, zone).ToString(IsGerman(culture) ? "dd.MM.yyyy" : "MMM d, yyyy", culture);

    /// <summary>
    /// The browser's name of the zone's offset at <paramref name="utc"/> when <paramref name="names"/> has one;
    /// otherwise <c>UTC</c>, or the offset from it: <c>UTC+1</c>, <c>UTC-5</c>, <c>UTC+5:30</c>.
    /// </summary>
    public static string ZoneName(DateTime utc, TimeZoneInfo zone, IReadOnlyDictionary<TimeSpan, string>? names = null)
    {
        var offset = zone.GetUtcOffset(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        if (names is not null && names.TryGetValue(offset, out var name))
        {
            return name;
        }
        if (offset == TimeSpan.Zero && zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime)
        {
            return "UTC";
        }
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}"
            : $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}:{abs.Minutes.ToString("00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The instant (UTC) a calendar day begins in <paramref name="zone"/>: what a picked day means to the person who
    /// sees times in that zone. Where a clock change skips midnight, the day begins at its first existing minute.
    /// </summary>
    public static DateTime DayStartUtc(DateTime day, TimeZoneInfo zone)
    {
        var local = System.DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static System.DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    private static bool IsGerman(CultureInfo culture) => culture.TwoLetterISOLanguageName == "de";
}
