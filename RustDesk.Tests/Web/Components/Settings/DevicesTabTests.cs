using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.Settings;

public sealed class DevicesTabTests : ConsoleComponentTest
{
    private const string FirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string ChromeOnAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    private const string SafariOnMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

    [Fact]
    public async Task Render_ThreeSessions_ShowsOneRowEachAndMarksOnlyTheCurrent()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var now = Host.Time.GetUtcNow().UtcDateTime;
        await AddSessionsAsync(
            Session("s-firefox", user.Id, FirefoxOnWindows, "192.0.2.10", now.AddHours(-5)),
            Session("s-chrome", user.Id, ChromeOnAndroid, "192.0.2.20", now.AddHours(-1)),
            Session("s-safari", user.Id, SafariOnMac, "192.0.2.30", now.AddHours(-3)));

        var cut = RenderTab(user, currentSessionId: "s-chrome");

        var rows = cut.WaitForElements("[data-testid='device-row']", 3);
        Assert.Equal(3, rows.Count);
        var current = Assert.Single(cut.FindAll("[data-testid='device-current']"));
        var currentRow = RowOf(current);
        Assert.Contains("Chrome on Android", currentRow.TextContent);
        Assert.Contains("192.0.2.20", currentRow.TextContent);
        Assert.Contains(rows, r => RowOf(r).TextContent.Contains("Firefox on Windows", StringComparison.Ordinal));
        Assert.Contains(rows, r => RowOf(r).TextContent.Contains("Safari on macOS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_OtherUsersAndExpiredSessions_AreNotListed()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var other = await Host.CreateUserAsync("john.roe", Password);
        var now = Host.Time.GetUtcNow().UtcDateTime;
        await AddSessionsAsync(
            Session("s-mine", user.Id, FirefoxOnWindows, "192.0.2.10", now.AddHours(-1)),
            Session("s-expired", user.Id, ChromeOnAndroid, "192.0.2.20", now.AddDays(-40), expiresAt: now.AddMinutes(-1)),
            Session("s-other", other.Id, SafariOnMac, "192.0.2.30", now.AddHours(-1)));

        var cut = RenderTab(user, currentSessionId: "s-mine");

        var row = Assert.Single(cut.WaitForElements("[data-testid='device-row']"));
        Assert.Contains("192.0.2.10", RowOf(row).TextContent);
        Assert.DoesNotContain("192.0.2.20", cut.Markup);
        Assert.DoesNotContain("192.0.2.30", cut.Markup);
        Assert.Single(cut.FindAll("[data-testid='device-current']"));
    }

    [Fact]
    public async Task Render_SessionIdOfAnotherUser_ListsNothingAndSignsThePageOut()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var other = await Host.CreateUserAsync("john.roe", Password);
        var now = Host.Time.GetUtcNow().UtcDateTime;
        await AddSessionsAsync(
            Session("s-mine", user.Id, FirefoxOnWindows, "192.0.2.10", now.AddHours(-1)),
            Session("s-other", other.Id, SafariOnMac, "192.0.2.30", now.AddHours(-1)));

        var cut = RenderTab(user, currentSessionId: "s-other");

        // Core refuses a session that is not this user's; the page leaves for the sign-in page.
        var navigation = Navigation;
        cut.WaitForAssertion(() => Assert.EndsWith("/account/login", navigation.Uri));
        Assert.Empty(cut.FindAll("[data-testid='device-row']"));
    }

    [Fact]
    public async Task Render_GermanCulture_ShowsGermanTextAndDates()
    {
        using var culture = InGerman();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var seen = new DateTime(2026, 11, 24, 17, 30, 0, DateTimeKind.Utc);
        await AddSessionsAsync(Session("s-mine", user.Id, "", "192.0.2.10", seen, persistent: true));

        var cut = RenderTab(user, currentSessionId: "s-mine");

        var row = RowOf(Assert.Single(cut.WaitForElements("[data-testid='device-row']")));
        Assert.Contains("Unbekannter Browser", row.TextContent);
        Assert.Contains("24.11.2026, 17:30 UTC", row.TextContent);
        Assert.Contains("Ja", row.TextContent);
        Assert.Equal("Dieses Gerät", cut.Find("[data-testid='device-current']").TextContent.Trim());
        Assert.Contains("Letzte Aktivität", cut.Markup);
    }

    [Theory]
    [InlineData("en", "JANE-PC", "RustDesk client “JANE-PC” on Windows (ID 123456789)")]
    [InlineData("de", "JANE-PC", "RustDesk-Client „JANE-PC“ unter Windows (ID 123456789)")]
    [InlineData("en", "", "RustDesk client on Windows (ID 123456789)")]
    public async Task Render_RustDeskClientToken_IsListedWithItsDeviceAndCanBeSignedOut(string language, string name, string expected)
    {
        using var culture = In(language);
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var now = Host.Time.GetUtcNow().UtcDateTime;
        var token = Session("s-client", user.Id, "RustDesk client on Windows, id 123456789", "192.0.2.40", now.AddMinutes(-2), persistent: true);
        token.Kind = SessionKind.ApiToken;
        token.ClientId = "123456789";
        token.DeviceOs = "windows";
        token.DeviceType = "client";
        token.DeviceName = name;
        await AddSessionsAsync(Session("s-mine", user.Id, FirefoxOnWindows, "192.0.2.10", now), token);

        var cut = RenderTab(user, currentSessionId: "s-mine");

        var rows = cut.WaitForElements("[data-testid='device-row']", 2);
        var client = RowOf(Assert.Single(rows, r => r.GetAttribute("data-kind") == "rustdesk-client"));
        Assert.Contains(expected, client.TextContent);
        Assert.Contains("192.0.2.40", client.TextContent);
        Assert.NotNull(client.QuerySelector("[data-testid='device-revoke']"));
    }

    [Fact]
    public async Task Revoke_TwoFactorOn_AsksFirstAndTheRightCodeSignsTheOtherDeviceOut()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        // Enabled before the sessions are stored: enabling without a session signs every session out.
        var (key, _) = await EnableAsync(Host, user.Id);
        var current = await Host.StoreSessionAsync("jane.doe");
        var other = await Host.StoreSessionAsync("jane.doe");
        var provider = RenderDialogs();
        var cut = RenderTab(user, current.SessionId);
        Assert.Equal(2, cut.WaitForElements("[data-testid='device-row']", 2).Count);

        Assert.Single(cut.FindAll("[data-testid='device-revoke']")).Click();

        // Asked first: while the modal is open, the other device is still signed in.
        provider.WaitForReVerification();
        Assert.Contains(Text("ReVerify.PromptCode"), provider.Markup);
        Assert.True(await Host.IsValidAsync(other));
        Assert.Single(cut.FindAll($"[data-testid='device-row'][data-session='{other.SessionId}']"));

        provider.AnswerReVerification(CodeAt(key, Host));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-testid='device-row'][data-session='{other.SessionId}']")));
        var row = Assert.Single(cut.FindAll("[data-testid='device-row']"));
        Assert.Equal(current.SessionId, row.GetAttribute("data-session"));
        Assert.False(await SessionRowExistsAsync(other.SessionId));
        Assert.False(await Host.IsValidAsync(other));
        Assert.Null(await Host.RetrieveAsync(other));
        Assert.True(await Host.IsValidAsync(current));
    }

    [Fact]
    public async Task Revoke_TwoFactorOnAndCancelled_KeepsTheOtherDevice()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        await EnableAsync(Host, user.Id);
        var current = await Host.StoreSessionAsync("jane.doe");
        var other = await Host.StoreSessionAsync("jane.doe");
        var snackbars = RenderSnackbars();
        var provider = RenderDialogs();
        var cut = RenderTab(user, current.SessionId);
        cut.WaitForElements("[data-testid='device-row']", 2);

        cut.Find("[data-testid='device-revoke']").Click();
        provider.CancelReVerification();

        snackbars.WaitForAssertion(() => Assert.Contains(Text("ReVerify.NotDone"), snackbars.Markup));
        Assert.Equal(2, cut.FindAll("[data-testid='device-row']").Count);
        Assert.True(await SessionRowExistsAsync(other.SessionId));
        Assert.True(await Host.IsValidAsync(other));
    }

    [Fact]
    public async Task Revoke_TwoFactorOff_SignsTheOtherDeviceOutWithoutAModal()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var current = await Host.StoreSessionAsync("jane.doe");
        var other = await Host.StoreSessionAsync("jane.doe");
        var provider = RenderDialogs();
        var cut = RenderTab(user, current.SessionId);
        cut.WaitForElements("[data-testid='device-row']", 2);

        cut.Find("[data-testid='device-revoke']").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='device-row']")));
        Assert.Equal(current.SessionId, cut.Find("[data-testid='device-row']").GetAttribute("data-session"));
        Assert.False(provider.ReVerificationIsOpen());
        Assert.False(await SessionRowExistsAsync(other.SessionId));
        Assert.True(await Host.IsValidAsync(current));
    }

    private IRenderedComponent<DevicesTab> RenderTab(ConsoleUser user, string? currentSessionId) =>
        Render<DevicesTab>(p => p.Add(c => c.UserId, user.Id).Add(c => c.SessionId, currentSessionId));

    /// <summary>The table row that holds <paramref name="element"/>, where the device's other columns are.</summary>
    private static IElement RowOf(IElement element) =>
        element.Closest("tr") ?? throw new InvalidOperationException("Not in a table row: " + element.OuterHtml);

    private UserSession Session(string id, string userId, string userAgent, string ip, DateTime lastSeen,
        DateTime? expiresAt = null, bool persistent = false) => new()
        {
            Id = id,
            UserId = userId,
            UserAgent = userAgent,
            IpAddress = ip,
            CreatedAt = lastSeen.AddMinutes(-30),
            LastSeenAt = lastSeen,
            ExpiresAt = expiresAt ?? Host.Time.GetUtcNow().UtcDateTime.AddDays(14),
            IsPersistent = persistent,
            SecurityStamp = "stamp",
            Ticket = [1, 2, 3],
        };

    private Task<bool> SessionRowExistsAsync(string sessionId) =>
        Host.WithAsync<ConsoleDbContext, bool>(db => db.Sessions.AnyAsync(s => s.Id == sessionId));

    /// <summary>Stores the sessions as signed in now: each with its user's current security stamp, as the ticket store does.</summary>
    private Task<int> AddSessionsAsync(params UserSession[] sessions) =>
        Host.WithAsync<ConsoleDbContext, int>(async db =>
        {
            foreach (var session in sessions)
            {
                session.SecurityStamp = await db.Users.Where(u => u.Id == session.UserId).Select(u => u.SecurityStamp!).SingleAsync();
            }
            db.Sessions.AddRange(sessions);
            return await db.SaveChangesAsync();
        });
}
