using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// Times show in the browser's own time zone, named as the browser names it in the page's language where it has an
/// abbreviation (EST, MEZ), by the offset otherwise (English has none for Berlin, German none for Kolkata).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TimeZoneBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private readonly BrowserFixture _browser = browser;

    [Theory]
    [InlineData("Europe/Berlin", "en-US", "Nov 30, 2026, 14:05 UTC+1")]
    [InlineData("America/New_York", "en-US", "Nov 30, 2026, 08:05 EST")]
    [InlineData("Europe/Berlin", "de-DE", "30.11.2026, 14:05 MEZ")]
    [InlineData("Asia/Kolkata", "de-DE", "30.11.2026, 18:35 UTC+5:30")]
    public async Task AuditPage_BrowserInAZone_ShowsTheEventInItsLocalTimeWithTheZone(string zone, string locale, string expected)
    {
        // Arrange: one event at 13:05 UTC, and a browser in the zone.
        var at = new DateTime(2026, 11, 30, 13, 5, 0, DateTimeKind.Utc);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
            db.AuditEvents.Add(new AuditEvent
            {
                At = at, Kind = AuditKinds.SettingsChanged, ActorUserId = admin.Id, ActorName = "admin", TargetUserId = admin.Id,
                TargetName = "admin", IpAddress = "192.0.2.7", UserAgent = "", Detail = "zone probe",
            });
            await db.SaveChangesAsync();
        }
        var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, Locale = locale, TimezoneId = zone, ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        await using (context)
        {
            var page = await context.NewPageAsync();
            await SignInAsync(page, "admin", ConsoleAppFactory.AdminPassword);
            await WaitForSettingsAsync(page);

            // Act
            await page.GotoAsync("/admin/audit");

            // Assert: the row of that event names the local time and its zone (UTC until the circuit knows the zone).
            var row = page.Locator("tr").Filter(new() { HasText = "zone probe" });
            await Expect(row.Locator("time")).ToHaveTextAsync(expected);
            await Assertions.Expect(row.Locator("time")).ToHaveAttributeAsync("datetime", "2026-11-30T13:05:00Z");
        }
    }
}
