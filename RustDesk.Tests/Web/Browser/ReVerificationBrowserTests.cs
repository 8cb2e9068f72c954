using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ReVerificationBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    /// <summary>Turns TOTP on for admin through the Core services; returns the key and the backup codes.</summary>
    private async Task<(string Secret, IReadOnlyList<string> Codes)> EnableAdminTotpAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin");
        return await TestSessions.EnableTotpAsync(App.Services, admin!.Id, secret => ExternalTools.TotpAsync(secret));
    }

    [Fact]
    public async Task With2fa_ChangingTheEmail_GoesThroughTheModal()
    {
        // Arrange: 2FA on; signed in with the next TOTP step (the enrollment's step is spent).
        var (secret, codes) = await EnableAdminTotpAsync();
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("verify-code").FillAsync(await ExternalTools.TotpAsync(secret, offsetSeconds: 30));
        await Page.GetByTestId("verify-submit").ClickAsync();
        await WaitForSettingsAsync(Page);

        // Act 1: submit a new address; the modal asks first. A wrong code is refused.
        await Input(Page, "settings-email").FillAsync("ops@example.com");
        await Page.GetByTestId("settings-submit").ClickAsync();
        var modalInput = Input(Page, "reverify-code");
        await modalInput.FillAsync("000000");
        await Page.GetByTestId("reverify-submit").ClickAsync();
        await Expect(Page.GetByTestId("reverify-error")).ToBeVisibleAsync();

        // Act 2: a backup code passes (the TOTP window is used up by enrollment and sign-in).
        await ConsolePage.ReVerifyAsync(Page, codes[0]);

        // Assert: saved, and the backup code is gone.
        await Expect(Page.GetByTestId("settings-saved")).ToBeVisibleAsync();
        await Page.GotoAsync("/settings/security");
        await Expect(Page.GetByTestId("backup-codes-remaining")).ToHaveAttributeAsync("data-remaining", "5");
    }

    [Fact]
    public async Task Devices_RevokeTheOtherBrowser_SignsItOut()
    {
        // Arrange: the same user in two browsers.
        var (otherContext, otherPage) = await NewContextAsync();
        await using var _ = otherContext;
        await SignInAsync(otherPage, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(otherPage);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // Act: revoke the other session from the devices tab.
        await Page.GotoAsync("/settings/devices");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("device-row")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("device-current")).ToHaveCountAsync(1);
        await Page.GetByTestId("device-revoke").ClickAsync();

        // Assert: one row left; the other browser's open page signs out by itself.
        await Expect(Page.GetByTestId("device-row")).ToHaveCountAsync(1);
        await otherPage.WaitForURLAsync(u => u.Contains("/account/login"), new() { Timeout = 20_000 });
        await Page.ReloadAsync();
        await WaitForInteractiveAsync(Page);
        Assert.Contains("/settings/devices", Page.Url);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
