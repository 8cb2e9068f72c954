using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>Changing the password on the Security tab, signing out, and what that does to other browsers.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string NewPassword = "a brand new passphrase";

    [Fact]
    public async Task ChangePassword_ThenSignOutAndIn_NewPasswordWorksOldFails()
    {
        // Arrange
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // Act
        await ConsolePage.ChangePasswordAsync(Page, ConsoleAppFactory.AdminPassword, NewPassword);
        await ConsolePage.SignOutAsync(Page);

        // Assert: the old password is refused, the new one opens the settings.
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Expect(Page.GetByTestId("login-error")).ToHaveTextAsync("Wrong user name or password.");
        Assert.Equal("/account/login", new Uri(Page.Url).AbsolutePath);
        await SignInAsync(Page, "admin", NewPassword);
        await WaitForSettingsAsync(Page);
        await Expect(Page.GetByTestId("settings-username")).ToHaveTextAsync("admin");
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_ShowsErrorAndKeepsOldPassword()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await ConsolePage.OpenSettingsAsync(Page, "/settings/security", "password-current");

        await Page.GetByTestId("password-current").FillAsync("not the password");
        await Page.GetByTestId("password-new").FillAsync(NewPassword);
        await Page.GetByTestId("password-confirm").FillAsync(NewPassword);
        await Page.GetByTestId("password-submit").ClickAsync();

        await Expect(Page.GetByText("The current password is wrong.")).ToBeVisibleAsync();
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
    }

    [Fact]
    public async Task SignOut_FromUserMenu_LandsOnLoginAndSettingsRedirectsToLogin()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await ConsolePage.OpenSettingsAsync(Page);

        await ConsolePage.SignOutAsync(Page);

        Assert.Equal("/account/login", new Uri(Page.Url).AbsolutePath);
        await Expect(Page.GetByTestId("login-submit")).ToBeVisibleAsync();
        await Page.GotoAsync("/settings");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await Expect(Page.GetByTestId("login-username")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ChangePassword_InOneBrowser_SignsTheOtherBrowserOut()
    {
        // Arrange: admin on two devices, both on the settings page.
        var (otherContext, other) = await NewContextAsync();
        await using var _ = otherContext;
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await SignInAsync(other, "admin", ConsoleAppFactory.AdminPassword);
        await ConsolePage.OpenSettingsAsync(other);

        // Act
        await ConsolePage.ChangePasswordAsync(Page, ConsoleAppFactory.AdminPassword, NewPassword);

        // Assert: the open page of the other device re-checks its session (every 2 s here) and goes to sign-in;
        // the device that made the change stays signed in.
        await other.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login", new() { Timeout = 20_000 });
        await other.GotoAsync("/settings");
        await other.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await Page.ReloadAsync();
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
        Assert.Equal("/settings/security", new Uri(Page.Url).AbsolutePath);
    }
}
