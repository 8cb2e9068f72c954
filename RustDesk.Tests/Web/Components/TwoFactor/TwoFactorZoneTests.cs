using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Shared;
using RustDesk.Web.Components.TwoFactor;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

/// <summary>
/// The 2FA dates (the renewal banner, the "renewal due" line, the chip's tooltip) follow the browser's zone as soon as the
/// circuit learns it, without anything else re-rendering them. The key is renewed at 23:28 UTC, so its renewal day
/// is one day later in Berlin than in UTC.
/// </summary>
public sealed class TwoFactorZoneTests : TwoFactorComponentTestBase
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task Notice_ZoneArrivesAfterFirstRender_ShowsTheRenewalDayInTheZone()
    {
        using var culture = SignedInServices();
        var dueAt = await EnableLateInTheUtcDayAsync();
        Host.Time.Advance(TimeSpan.FromDays(170));
        await SignInAsNoticeSeesAsync();
        var cut = Ctx.Render<TwoFactorNotice>();
        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ReminderNotice", "May 24, 2027"), Reminder(cut)));
        Assert.Equal(23, dueAt.Hour);

        await cut.InvokeAsync(() => Zone.Use(Berlin));

        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ReminderNotice", "May 25, 2027"), Reminder(cut)));
    }

    [Fact]
    public async Task Section_ZoneArrivesAfterFirstRender_ShowsTheRenewalDayAndTooltipInTheZone()
    {
        using var culture = Ctx.AddConsoleTestServices(Host, "de");
        await EnableLateInTheUtcDayAsync();
        var session = await SignInAsync();
        var cut = Ctx.Render<TwoFactorSection>(p => p.Add(c => c.UserId, User.Id).Add(c => c.SessionId, session.SessionId));
        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ExpiresOn", "24.05.2027"), cut.Markup));
        Assert.Equal(Text("Tfa.EnabledTooltip", "24.05.2027"), cut.FindComponent<MudTooltip>().Instance.Text);

        // Not through the renderer: the event comes from the layout's JS call, on whatever thread that finishes.
        Zone.Use(Berlin);

        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ExpiresOn", "25.05.2027"), cut.Markup));
        cut.WaitForAssertion(() => Assert.Equal(Text("Tfa.EnabledTooltip", "25.05.2027"), cut.FindComponent<MudTooltip>().Instance.Text));
    }

    [Fact]
    public async Task InBrowserZone_BrowserNamesTheZone_DateTimesCarryItsAbbreviation()
    {
        using var culture = Ctx.AddConsoleTestServices(Host, "de");
        var at = new DateTime(2026, 11, 30, 13, 5, 0, DateTimeKind.Utc);
        var cut = Ctx.Render<InBrowserZone>(p => p.Add(c => c.ChildContent, zone => builder => builder.AddContent(0, zone.DateTime(at))));
        Assert.Equal("30.11.2026, 13:05 UTC", cut.Markup.Trim());

        await cut.InvokeAsync(() => Zone.Use(Berlin, new Dictionary<TimeSpan, string> { [TimeSpan.FromHours(1)] = "MEZ", [TimeSpan.FromHours(2)] = "MESZ" }));

        cut.WaitForAssertion(() => Assert.Equal("30.11.2026, 14:05 MEZ", cut.Markup.Trim()));
        Assert.Equal("01.07.2026, 14:05 MESZ", Zone.DateTime(new DateTime(2026, 7, 1, 12, 5, 0, DateTimeKind.Utc)));
    }

    private BrowserTimeZone Zone => Ctx.Services.GetRequiredService<BrowserTimeZone>();

    /// <summary>Enables 2FA at 23:28 UTC (the next one on the test clock); returns when it is due for renewal.</summary>
    private async Task<DateTime> EnableLateInTheUtcDayAsync()
    {
        var now = Host.Time.GetUtcNow();
        Host.Time.SetUtcNow(new DateTimeOffset(now.Year, now.Month, now.Day, 23, 28, 0, TimeSpan.Zero));
        await EnableAsync(Host, User.Id);
        return (await StatusAsync()).ExpiresAt!.Value;
    }

    private static string Reminder(IRenderedComponent<TwoFactorNotice> cut) =>
        cut.Find("[data-testid='tfa-reminder']").TextContent;

    private BunitAuthorizationContext _auth = default!;

    /// <summary>The services with a signed-in user, as the layout sees it (a cascading authentication state).</summary>
    private CultureScope SignedInServices()
    {
        _auth = Ctx.AddAuthorization();
        _auth.SetAuthorized(User.UserName!);
        return Ctx.AddConsoleTestServices(Host);
    }

    private async Task SignInAsNoticeSeesAsync()
    {
        var session = await SignInAsync();
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, User.Id), new Claim(RustDesk.Core.Sessions.SessionClaims.SessionId, session.SessionId));
    }
}
