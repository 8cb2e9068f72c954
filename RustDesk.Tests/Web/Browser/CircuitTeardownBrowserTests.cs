using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using RustDesk.Core.Accounts;
using RustDesk.Core.Sessions;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// Issue 11, point 6: a tab that goes away while its session ends (signed out everywhere from another browser, a device
/// revoked, a staff member's force sign-out) must not leave an error with a stack trace in the operator's log. Each test
/// ends the session, makes the tab go away, waits for the positive signal that every circuit has been torn down
/// (<see cref="CircuitTracker"/>) and then reads the whole log.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitTeardownBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Alice = "alice";
    private const string AlicePassword = "Teardown-Passphrase-42";

    /// <summary>Generous: a loaded machine may take its time; the wait ends as soon as the circuits are gone.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly CircuitTracker _circuits = new();

    public override async Task InitializeAsync()
    {
        // A disconnected circuit is kept 15 s (3 min in production) and an unanswered JavaScript call gives up after
        // 5 s (1 min): shorter, in the same order, so a call a lost tab never answers times out while its circuit is
        // still kept, as it would in production (the session check runs every 2 s in the tests).
        App = new ConsoleAppFactory(kestrel: true,
            testServices: services => _circuits.AddTo(services, retention: TimeSpan.FromSeconds(15), jsCallTimeout: TimeSpan.FromSeconds(5)));
        BaseUrl = App.ServerAddress;
        (Context, Page) = await NewContextAsync();
        await CreateAliceAsync();
    }

    [Fact]
    public async Task RevokeOthersFromSecondBrowser_TabClosedAtOnce_LogsNoError()
    {
        // "Sign out my other devices" is offered from two other sessions on: a third browser holds one.
        await OpenSettingsAsAliceAsync(Page);
        var (third, thirdPage) = await NewContextAsync();
        await OpenSettingsAsAliceAsync(thirdPage);
        var (other, otherPage) = await NewContextAsync();
        await OpenSettingsAsAliceAsync(otherPage);

        await otherPage.GotoAsync("/settings/devices");
        await WaitForInteractiveAsync(otherPage);
        await otherPage.GetByTestId("device-revoke-others").ClickAsync();
        await otherPage.GetByTestId("snackbar").First.WaitForAsync();
        await CloseTabAsync(Page);
        await CloseBrowserAsync(third);
        await CloseBrowserAsync(other);

        await AssertTornDownQuietlyAsync(atLeast: 3);
    }

    [Fact]
    public async Task StaffForceSignOut_TabClosedDuringRedirectToLogin_LogsNoError()
    {
        await OpenSettingsAsAliceAsync(Page);
        var redirect = Page.WaitForRequestAsync(r => r.Url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 30_000 });

        await SignOutEverywhereAsync();
        await redirect;
        await CloseTabAsync(Page);

        await AssertTornDownQuietlyAsync(atLeast: 1);
    }

    [Fact]
    public async Task StaffForceSignOut_TabClosedAtOnce_LogsNoError()
    {
        await OpenSettingsAsAliceAsync(Page);

        await SignOutEverywhereAsync();
        await CloseTabAsync(Page);

        await AssertTornDownQuietlyAsync(atLeast: 1);
    }

    [Fact]
    public async Task RevokeDeviceFromSecondBrowser_TabNavigatesAway_LogsNoError()
    {
        await OpenSettingsAsAliceAsync(Page);
        var (other, otherPage) = await NewContextAsync();
        await OpenSettingsAsAliceAsync(otherPage);

        await otherPage.GotoAsync("/settings/devices");
        await WaitForInteractiveAsync(otherPage);
        await otherPage.GetByTestId("device-revoke").First.ClickAsync();
        await otherPage.GetByTestId("snackbar").First.WaitForAsync();
        await Page.GotoAsync("about:blank");
        await CloseBrowserAsync(other);

        await AssertTornDownQuietlyAsync(atLeast: 2);
    }

    [Fact]
    public async Task StaffForceSignOut_TabClosedBeforeTheLayoutsFirstCallsAnswer_LogsNoError()
    {
        await OpenSettingsWithTheTimeZoneCallUnansweredAsync();

        await SignOutEverywhereAsync();
        await CloseTabAsync(Page);

        await AssertTornDownQuietlyAsync(atLeast: 2);
    }

    [Fact]
    public async Task StaffForceSignOut_TabLostWithoutGoodbye_LogsNoError()
    {
        // Red before RedirectToLogin waited for the browser: the page signed itself out into a browser that was gone,
        // and the unanswered navigation was logged as "Navigation failed" and "Unhandled exception in circuit".
        await OpenSettingsAsAliceAsync(Page);
        await LoseTheGoodbyeAsync(Page);

        await SignOutEverywhereAsync();
        await CloseTabAsync(Page);

        await AssertTornDownQuietlyAsync(atLeast: 1);
    }

    [Fact]
    public async Task StaffForceSignOut_TabLostWithoutGoodbyeBeforeTheLayoutsFirstCallsAnswer_LogsNoError()
    {
        await OpenSettingsWithTheTimeZoneCallUnansweredAsync();
        await LoseTheGoodbyeAsync(Page);

        await SignOutEverywhereAsync();
        await CloseTabAsync(Page);

        await AssertTornDownQuietlyAsync(atLeast: 2);
    }

    /// <summary>
    /// Closes the tab as its user does. Once, Chromium left Playwright's close of a tab in the middle of a navigation
    /// unanswered for good, and the whole test run hung in <see cref="StaffForceSignOut_TabClosedDuringRedirectToLogin_LogsNoError"/>
    /// (Playwright's close has no time limit). After <see cref="Patience"/> the tab's browser context is closed instead,
    /// which ends the tab too (without its goodbye beacon, like <see cref="LoseTheGoodbyeAsync"/>); if that does not
    /// end either, the test fails instead of waiting for ever.
    /// </summary>
    private static async Task CloseTabAsync(IPage page)
    {
        var closing = page.CloseAsync();
        if (await Task.WhenAny(closing, Task.Delay(Patience)) != closing)
        {
            await CloseBrowserAsync(page.Context);
        }
    }

    /// <summary>Closes a second browser (its context); fails after <see cref="Patience"/> instead of waiting for ever.</summary>
    private static Task CloseBrowserAsync(IBrowserContext context) => context.CloseAsync().WaitAsync(Patience);

    /// <summary>
    /// A closing tab tells the server through a beacon (<c>_blazor/disconnect</c>), which disposes its circuit at once. A
    /// tab that is lost instead (browser killed, laptop asleep, network gone) sends none: the server keeps the circuit
    /// (<c>DisconnectedCircuitRetentionPeriod</c>) and the page goes on living there without a browser.
    /// </summary>
    private static Task LoseTheGoodbyeAsync(IPage page) => page.EvaluateAsync("() => { navigator.sendBeacon = () => true; }");

    /// <summary>
    /// Signs alice in and opens the settings page in a browser that never answers the layout's first call (the time
    /// zone), as a tab gone in that moment would not; returns once the layout has asked.
    /// </summary>
    private async Task OpenSettingsWithTheTimeZoneCallUnansweredAsync()
    {
        await OpenSettingsAsAliceAsync(Page);
        await Page.RouteAsync(url => new Uri(url).AbsolutePath.StartsWith("/js/console", StringComparison.Ordinal), async route =>
        {
            var response = await route.FetchAsync();
            var script = await response.TextAsync() +
                "\nwindow.rdConsole.timeZone = () => { window.rdTimeZoneAsked = true; return new Promise(() => { }); };\n";
            await route.FulfillAsync(new() { Response = response, Body = script });
        });
        await Page.ReloadAsync();
        await Page.WaitForFunctionAsync("() => window.rdTimeZoneAsked === true");
    }

    private async Task OpenSettingsAsAliceAsync(IPage page)
    {
        await SignInAsync(page, Alice, AlicePassword);
        await WaitForSettingsAsync(page);
    }

    /// <summary>What a staff member's force sign-out does to the account (UserAdministrationService.ForceLogoutAsync).</summary>
    private async Task SignOutEverywhereAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var alice = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(Alice);
        await scope.ServiceProvider.GetRequiredService<SessionService>().SignOutEverywhereAsync(alice!);
    }

    private async Task AssertTornDownQuietlyAsync(int atLeast)
    {
        await _circuits.WaitForAllClosedAsync(atLeast, Patience);
        var bad = App.Logs.Entries.Where(IsOperatorAlarm).ToList();
        Assert.True(bad.Count == 0, $"circuits: {_circuits}; logged:\n{string.Join("\n", bad)}");
    }

    /// <summary>An error, or any entry carrying an exception from Blazor, SignalR or the console.</summary>
    private static bool IsOperatorAlarm(LogEntry entry) =>
        entry.Level >= LogLevel.Error
        || (entry.Exception is not null
            && (entry.Category.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal)
                || entry.Category.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal)
                || entry.Category.StartsWith("RustDesk", StringComparison.Ordinal)));

    private async Task CreateAliceAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var alice = new ConsoleUser { UserName = Alice, Email = "alice@example.com", EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(alice, AlicePassword)).Succeeded);
        await users.AddToRoleAsync(alice, Roles.User);
    }
}
