using System.Globalization;
using Bunit;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Shared;

namespace RustDesk.Tests.Web.Components.Shared;

/// <summary>One date and time format per culture, in the browser's zone, with the zone named (summer and winter time included).</summary>
public sealed class LocalTimeTests : ConsoleComponentTest
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateTime Winter = new(2026, 11, 30, 13, 5, 0, DateTimeKind.Utc);
    private static readonly DateTime Summer = new(2026, 7, 1, 12, 5, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("en", "Europe/Berlin", "Nov 30, 2026, 14:05 UTC+1")]
    [InlineData("de", "Europe/Berlin", "30.11.2026, 14:05 UTC+1")]
    [InlineData("en", "America/New_York", "Nov 30, 2026, 08:05 UTC-5")]
    [InlineData("de", "America/New_York", "30.11.2026, 08:05 UTC-5")]
    [InlineData("en", "Asia/Kolkata", "Nov 30, 2026, 18:35 UTC+5:30")]
    public void DateTime_Winter_ShowsLocalTimeInTheCulturesFormatWithTheZone(string culture, string zone, string expected) =>
        Assert.Equal(expected, LocalTimeFormat.DateTime(Winter, TimeZoneInfo.FindSystemTimeZoneById(zone), CultureInfo.GetCultureInfo(culture)));

    [Theory]
    [InlineData("Europe/Berlin", 2026, 11, 30, "2026-11-29T23:00:00")]
    [InlineData("Europe/Berlin", 2026, 7, 1, "2026-06-30T22:00:00")]
    [InlineData("America/New_York", 2026, 11, 30, "2026-11-30T05:00:00")]
    [InlineData("Asia/Kolkata", 2026, 11, 30, "2026-11-29T18:30:00")]
    [InlineData("UTC", 2026, 11, 30, "2026-11-30T00:00:00")]
    public void DayStartUtc_PickedDay_BeginsAtLocalMidnight(string zone, int year, int month, int day, string expected)
    {
        var start = LocalTimeFormat.DayStartUtc(new DateTime(year, month, day), TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(DateTime.Parse(expected, CultureInfo.InvariantCulture), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
    }

    [Fact]
    public void DayStartUtc_ClockChangeSkipsMidnight_BeginsAtTheFirstExistingMinute()
    {
        // Summer time starting at 00:00 (as in several American zones): that day has no midnight, it begins at 01:00.
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(2000, 1, 1), new DateTime(2099, 12, 31), TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 9, 6),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 4, 5));
        var zone = TimeZoneInfo.CreateCustomTimeZone("Test/MidnightChange", TimeSpan.FromHours(-4), "test", "test", "test summer", [rule]);

        var start = LocalTimeFormat.DayStartUtc(new DateTime(2026, 9, 6), zone);

        Assert.Equal(new DateTime(2026, 9, 6, 4, 0, 0, DateTimeKind.Utc), start);
    }

    [Fact]
    public void DateTime_SummerTime_NamesTheSummerOffset()
    {
        Assert.Equal("01.07.2026, 14:05 UTC+2", LocalTimeFormat.DateTime(Summer, Berlin, CultureInfo.GetCultureInfo("de")));
        Assert.Equal("Jul 1, 2026, 08:05 UTC-4", LocalTimeFormat.DateTime(Summer, NewYork, CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void DateTime_AcrossTheSpringForwardHour_ChangesOffsetAtTheRightInstant()
    {
        // New York springs forward on 8 March 2026 at 02:00 local (07:00 UTC).
        var en = CultureInfo.GetCultureInfo("en");
        Assert.Equal("Mar 8, 2026, 01:59 UTC-5", LocalTimeFormat.DateTime(new DateTime(2026, 3, 8, 6, 59, 0, DateTimeKind.Utc), NewYork, en));
        Assert.Equal("Mar 8, 2026, 03:00 UTC-4", LocalTimeFormat.DateTime(new DateTime(2026, 3, 8, 7, 0, 0, DateTimeKind.Utc), NewYork, en));
    }

    [Fact]
    public void DateTime_Utc_SaysUtc()
    {
        Assert.Equal("Nov 30, 2026, 13:05 UTC", LocalTimeFormat.DateTime(Winter, TimeZoneInfo.Utc, CultureInfo.GetCultureInfo("en")));
        // A time read back from the database has no kind; it is UTC all the same.
        Assert.Equal("30.11.2026, 13:05 UTC", LocalTimeFormat.DateTime(DateTime.SpecifyKind(Winter, DateTimeKind.Unspecified), TimeZoneInfo.Utc, CultureInfo.GetCultureInfo("de")));
    }

    [Fact]
    public void Render_BeforeAndAfterTheBrowserNamesItsZone_ShowsUtcThenLocalTime()
    {
        using var culture = InGerman();
        var cut = Render<LocalTime>(p => p.Add(t => t.Value, Winter));
        Assert.Equal("30.11.2026, 13:05 UTC", cut.Find("time").TextContent);
        Assert.Equal("2026-11-30T13:05:00Z", cut.Find("time").GetAttribute("datetime"));

        Service<BrowserTimeZone>().Use(Berlin);

        cut.WaitForAssertion(() => Assert.Equal("30.11.2026, 14:05 UTC+1", cut.Find("time").TextContent));
    }
}
