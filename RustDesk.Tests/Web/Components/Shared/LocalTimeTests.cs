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
