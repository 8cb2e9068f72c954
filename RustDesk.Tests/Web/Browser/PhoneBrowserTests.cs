using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// The console on a phone (390×844): nothing is wider than the screen, even with the longest names and details,
/// right-to-left and emoji text; the title stays on one line; tables read as labelled cards; the TOTP key wraps
/// between its groups only and the enable dialog's buttons stay on screen. One page load per screen, several checks.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string NoOverflow = "() => document.documentElement.scrollWidth <= window.innerWidth";

    /// <summary>
    /// The elements that reach past the right edge, to say what overflows. A click's ripple (MudBlazor's
    /// <c>.mud-ripple-effect</c>, an animation clipped by its button) grows past the edge for a moment and is not layout.
    /// </summary>
    private const string Overflowing = "() => [...document.querySelectorAll('body *')].filter(e => !e.classList.contains('mud-ripple-effect') && e.getBoundingClientRect().right > window.innerWidth + 1)" +
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + '[' + Math.round(e.getBoundingClientRect().right) + ']').join(' | ')";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Page.SetViewportSizeAsync(390, 844);
    }

    [Fact]
    public async Task SettingsAndAudit_AtPhoneSize_FitTheScreenWithLongRtlAndEmojiText()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(url => url.Contains("/settings"));
        await SeedLongEventsAsync();

        await Page.GotoAsync("/settings/security");
        await Page.GetByTestId("recent-activity-detail").First.WaitForAsync();
        await WaitForInteractiveAsync(Page);

        Assert.True(await Page.EvaluateAsync<bool>(NoOverflow), "the Security tab is wider than the phone: " + await Page.EvaluateAsync<string>(Overflowing));
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
        var title = Page.Locator(".rd-brand");
        var box = await title.BoundingBoxAsync();
        var lineHeight = await title.EvaluateAsync<float>("e => parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.5");
        Assert.True(box!.Height < lineHeight * 1.6, $"the app bar title wraps ({box.Height}px for a {lineHeight}px line)");
        Assert.True(await title.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "the app bar title is cut short");
        // The user menu shows its icon on one line (not the icon above the name) and names the user when opened.
        var menuButton = Page.Locator("[data-testid='user-menu'] button");
        var menuBox = await menuButton.BoundingBoxAsync();
        Assert.True(menuBox!.Height <= 48, $"the user menu's button is {menuBox.Height}px high: its icon and name are stacked");
        Assert.Equal("admin", await menuButton.InnerTextAsync());
        await menuButton.ClickAsync();
        await Assertions.Expect(Page.GetByTestId("menu-user")).ToHaveTextAsync("Signed in as admin");
        await Page.Keyboard.PressAsync("Escape");
        // Recent activity reads as cards: no header row, each value labelled.
        Assert.Equal("none", await Page.Locator("[data-testid='recent-activity'] thead").EvaluateAsync<string>("e => getComputedStyle(e).display"));
        Assert.Equal("\"IP address\"", await Page.Locator("[data-testid='recent-activity-row'] td").Nth(2)
            .EvaluateAsync<string>("e => getComputedStyle(e, '::before').content"));

        await Page.GotoAsync("/admin/audit");
        await Page.GetByTestId("audit-detail").First.WaitForAsync();
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));

        await SeedLongClientSessionAsync();
        await Page.GotoAsync("/settings/devices");
        await Assertions.Expect(Page.GetByTestId("device-row")).ToHaveCountAsync(2);
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
        // A card's label is a column's name kept whole ("Device", not "Devi" above "ce"); its value wraps.
        await Page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector(\"[data-testid='device-row']\"), '::before').whiteSpace === 'nowrap'",
            null, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task EnableDialog_AtPhoneSize_KeepsKeyGroupsWholeAndButtonsOnScreen()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("tfa-qr").WaitForAsync();

        var groups = Page.Locator("[data-testid='tfa-secret'] .rd-secret-group");
        await Assertions.Expect(groups.Nth(7)).ToBeVisibleAsync();
        Assert.Equal(0, await groups.EvaluateAllAsync<int>("gs => gs.filter(g => g.getClientRects().length !== 1).length"));
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
        foreach (var button in new[] { "tfa-confirm", "tfa-cancel" })
        {
            var locator = Page.GetByTestId(button);
            await locator.ScrollIntoViewIfNeededAsync();
            var box = await locator.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390 && box.Y + box.Height <= 844, $"{button} is off screen");
        }

        // The backup codes that follow: both columns inside the dialog, each button on screen with its label on one line.
        var secret = (await Page.GetByTestId("tfa-secret").InnerTextAsync()).Replace(" ", "");
        await Input(Page, "tfa-code").FillAsync(await ExternalTools.TotpAsync(secret));
        await Page.GetByTestId("tfa-confirm").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("backup-code")).ToHaveCountAsync(6);
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
        var dialogRight = await Page.Locator(".mud-dialog").Last.EvaluateAsync<float>("e => e.getBoundingClientRect().right");
        Assert.Equal(0, await Page.GetByTestId("backup-code").EvaluateAllAsync<int>(
            $"cs => cs.filter(c => c.getBoundingClientRect().right > {dialogRight.ToString(System.Globalization.CultureInfo.InvariantCulture)}).length"));
        foreach (var button in new[] { "backup-codes-download", "backup-codes-copy", "backup-codes-print", "backup-codes-done" })
        {
            var locator = Page.GetByTestId(button);
            await locator.ScrollIntoViewIfNeededAsync();
            var box = await locator.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390, $"{button} is off screen");
            Assert.True(await locator.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), $"{button}'s label spills out of it");
            Assert.True(box!.Height <= 44, $"{button}'s label wraps ({box.Height}px)");
        }
    }

    /// <summary>A RustDesk client signed in as the admin, with the longest right-to-left and emoji name a session can hold.</summary>
    private async Task SeedLongClientSessionAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
        var now = DateTime.UtcNow;
        var name = string.Concat(Enumerable.Repeat("مرحبا😀", 20))[..RustDesk.Core.Sessions.UserSession.MaxDeviceFieldLength];
        db.Sessions.Add(new RustDesk.Core.Sessions.UserSession
        {
            Id = Guid.NewGuid().ToString("N"), UserId = admin.Id, Kind = RustDesk.Core.Sessions.SessionKind.ApiToken,
            SecurityStamp = admin.SecurityStamp ?? "", CreatedAt = now, LastSeenAt = now, ExpiresAt = now.AddDays(1),
            IpAddress = "2001:0db8:85a3:0000:0000:8a2e:0370:7334", UserAgent = "RustDesk client on Windows, id " + new string('9', 100),
            ClientId = new string('9', RustDesk.Core.Sessions.UserSession.MaxDeviceFieldLength), DeviceOs = "windows", DeviceType = "client", DeviceName = name,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Events about the admin with the longest, least breakable text the trail can hold.</summary>
    private async Task SeedLongEventsAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var longName = new string('W', 64);
        await log.AppendAsync(AuditKinds.SettingsChanged, admin.Id, longName, admin.Id, longName,
            string.Concat(Enumerable.Repeat("مرحبا😀", 120)), "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "Mozilla/5.0 " + new string('x', 400));
        await log.AppendAsync(AuditKinds.StaffEditEmail, admin.Id, longName, admin.Id, longName,
            new string('e', 240) + "@example.com", "203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
    }
}
