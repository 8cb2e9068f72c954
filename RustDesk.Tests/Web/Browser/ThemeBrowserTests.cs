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
        Assert.Equal("rd-light", await Page.Locator("body").GetAttributeAsync("class"));

        await Page.GetByTestId("theme-switch").ClickAsync();
        await Page.WaitForFunctionAsync("() => document.cookie.includes('rd.theme=dark')");
        await Page.ReloadAsync();
        await WaitForSettingsAsync(Page);

        Assert.Equal("rd-dark", await Page.Locator("body").GetAttributeAsync("class"));
        await Page.GotoAsync("/account/login");
        Assert.Equal("rd-dark", await Page.Locator("body").GetAttributeAsync("class"));
    }
}
