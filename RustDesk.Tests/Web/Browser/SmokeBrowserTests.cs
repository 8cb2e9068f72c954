using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SmokeBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task SignIn_AsBootstrapAdmin_ShowsSettingsWithUserName()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);

        await WaitForSettingsAsync(Page);
        Assert.Equal("admin", (await Page.GetByTestId("settings-username").InnerTextAsync()).Trim());
        Assert.Equal(1, await Input(Page, "settings-email").CountAsync());
    }
}
