using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ThemeBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task ThemeSwitch_Dark_IsRememberedAcrossReloadsAndOnTheSignInPage()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Assertions.Expect(Page.Locator("body")).ToHaveAttributeAsync("class", "rd-light");

        await Page.GetByTestId("theme-switch").ClickAsync();
        await Page.WaitForFunctionAsync("() => document.cookie.includes('rd.theme=dark')");
        // The whole page repaints without a reload: the body behind the layout as well as MudBlazor's parts.
        await Assertions.Expect(Page.Locator("body")).ToHaveAttributeAsync("class", "rd-dark");
        await Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(26, 26, 39)");
        await Page.ReloadAsync();
        await WaitForSettingsAsync(Page);

        await Assertions.Expect(Page.Locator("body")).ToHaveAttributeAsync("class", "rd-dark");
        await Page.GotoAsync("/account/login");
        await Assertions.Expect(Page.Locator("body")).ToHaveAttributeAsync("class", "rd-dark");
    }
}
