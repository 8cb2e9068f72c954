using Microsoft.Playwright;
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
        await Assertions.Expect(Page.GetByTestId("settings-username")).ToHaveTextAsync("admin");
        await Assertions.Expect(Input(Page, "settings-email")).ToHaveCountAsync(1);
    }
}
