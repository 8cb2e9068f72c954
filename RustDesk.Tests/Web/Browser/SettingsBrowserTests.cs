using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>The settings page's Basic tab and the language switch, in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task SignIn_AsBootstrapAdmin_ShowsSettingsAndSavesReadmeScreenshot()
    {
        // Act
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await ConsolePage.WaitForInteractiveAsync(Page, "settings-email");

        // Assert
        Assert.Equal("/settings", new Uri(Page.Url).AbsolutePath);
        await Expect(Page.GetByTestId("settings-username")).ToHaveTextAsync("admin");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Basic Settings" })).ToBeVisibleAsync();
        // docs/settings.png only under RUSTDESK_SCREENS=1 (scripts/screens.sh); otherwise a temp folder.
        var path = Path.Combine(Screenshots.Folder(), "settings.png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is suspiciously small");
    }

    [Fact]
    public async Task SubmitBasic_NewEmail_ShowsSavedAndPersistsAfterReload()
    {
        // Arrange
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await ConsolePage.OpenSettingsAsync(Page);

        // Act
        await Input(Page, "settings-email").FillAsync("admin@example.com");
        await Input(Page, "settings-alarm-notification").CheckAsync();
        await Page.GetByTestId("settings-submit").ClickAsync();
        // Without 2FA, changing the address is confirmed with the current password.
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);

        // Assert
        await Expect(Page.GetByTestId("settings-saved")).ToBeVisibleAsync();
        await Page.ReloadAsync();
        await ConsolePage.WaitForInteractiveAsync(Page, "settings-email");
        await Expect(Input(Page, "settings-email")).ToHaveValueAsync("admin@example.com");
        await Expect(Input(Page, "settings-alarm-notification")).ToBeCheckedAsync();
    }

    [Fact]
    public async Task SubmitBasic_InvalidEmail_ShowsErrorAndSavesNothing()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await ConsolePage.OpenSettingsAsync(Page);

        await Input(Page, "settings-email").FillAsync("A <a@b.com>");
        await Page.GetByTestId("settings-submit").ClickAsync();

        await Expect(Page.GetByText("Enter a valid email address (at most 254 characters).")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("settings-saved")).ToHaveCountAsync(0);
        await Page.ReloadAsync();
        await ConsolePage.WaitForInteractiveAsync(Page, "settings-email");
        await Expect(Input(Page, "settings-email")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task TabIds_OnTheClickableTabs_SwitchThePanelsAndTheAddress()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // CONTRACT.md: tab-basic, tab-security, tab-devices are on the clickable element of each tab.
        await Page.GetByTestId("tab-devices").ClickAsync();
        await Page.GetByTestId("device-row").First.WaitForAsync();
        await Page.WaitForURLAsync(url => url.EndsWith("/settings/devices", StringComparison.Ordinal));
        await Page.GetByTestId("tab-security").ClickAsync();
        await Page.GetByTestId("password-current").First.WaitForAsync();
        await Page.GetByTestId("tab-basic").ClickAsync();

        await Page.GetByTestId("settings-submit").WaitForAsync();
        await Assertions.Expect(Page.Locator(".mud-tab [data-testid^='tab-']")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task LanguageSwitch_German_ShowsGermanLabels()
    {
        // Arrange
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await ConsolePage.OpenSettingsAsync(Page);
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Basic Settings" })).ToBeVisibleAsync();

        // Act
        await Page.Locator("[data-testid='language-switch'] button").First.ClickAsync();
        await Page.GetByTestId("language-de").ClickAsync();

        // Assert: back on the settings page, in German, and it stays German after a reload.
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Grundeinstellungen" })).ToBeVisibleAsync();
        Assert.Equal("/settings", new Uri(Page.Url).AbsolutePath);
        await Expect(Page.GetByTestId("settings-submit")).ToHaveTextAsync("Senden");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Sicherheitseinstellungen" })).ToBeVisibleAsync();
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("settings-submit")).ToHaveTextAsync("Senden");
        await Assertions.Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        // Emails follow: the layout saved the language through its circuit (the GET of /culture/set writes nothing).
        await using var scope = App.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<RustDesk.Core.Accounts.ConsoleUser>>().FindByNameAsync("admin");
        Assert.Equal("de", admin!.PreferredCulture);
    }
}
