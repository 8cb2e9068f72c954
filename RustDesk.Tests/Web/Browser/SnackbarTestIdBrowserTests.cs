using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>Messages carry the contract's <c>data-testid="snackbar"</c>, so scripts find them by it, with their text.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SnackbarTestIdBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task SaveBasicTab_Success_MessageIsFoundByTheSnackbarTestId()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await ConsolePage.WaitForInteractiveAsync(Page, "settings-email");

        await Input(Page, "settings-email").FillAsync("admin@example.com");
        await Page.GetByTestId("settings-submit").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);

        var message = Page.GetByTestId("snackbar");
        await Expect(message).ToHaveCountAsync(1);
        await Expect(message).ToContainTextAsync("Settings saved.");
        // The test id is on MudBlazor's snackbar element itself (not on something inside or around it).
        await Expect(message).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmud-snackbar\b"));
    }
}
