using System.Text.RegularExpressions;
using System.Web;
using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public sealed class TwoFactorBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{

    [Fact]
    public async Task Enroll_ThenSignInWithTotpAndBackupCode_BackupCodeWorksOnce()
    {
        // Arrange: signed in, the enable dialog open.
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Assertions.Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "not-enabled");
        await Page.GetByTestId("tfa-enable").ClickAsync();
        // Enabling 2FA is a protected change: the current password first (the modal is open), then the key.
        await Assertions.Expect(Page.GetByTestId("reverify-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("tfa-qr")).ToHaveCountAsync(0);
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        var qr = Page.GetByTestId("tfa-qr");
        await qr.WaitForAsync();
        await Assertions.Expect(Page.GetByTestId("tfa-confirm")).ToBeDisabledAsync();

        // Act 1: decode the QR from a screenshot with zbarimg and compute the code with oathtool.
        var shot = Path.Combine(App.DataDirectory, "qr.png");
        await qr.ScreenshotAsync(new() { Path = shot });
        var uri = new Uri(await ExternalTools.DecodeQrAsync(shot));
        var query = HttpUtility.ParseQueryString(uri.Query);
        var secret = query["secret"]!;
        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal("/RustDesk:admin", Uri.UnescapeDataString(uri.AbsolutePath));
        Assert.Equal("RustDesk", query["issuer"]);
        // The key as shown in groups: the same characters in order, with only spaces between the groups.
        await Assertions.Expect(Page.GetByTestId("tfa-secret")).ToHaveTextAsync(new Regex("^" + string.Join(@"\s*", secret.Select(c => Regex.Escape(c.ToString()))) + "$"));
        await Input(Page, "tfa-code").FillAsync(await ExternalTools.TotpAsync(secret));
        await Page.GetByTestId("tfa-confirm").ClickAsync();

        // Assert 1: six backup codes shown once; the state is enabled.
        await Page.GetByTestId("backup-codes").WaitForAsync();
        var codes = (await Page.GetByTestId("backup-code").AllInnerTextsAsync()).Select(c => c.Replace(" ", "")).ToList();
        Assert.Equal(6, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[0-9]{10}$", c));
        await Assertions.Expect(Page.GetByTestId("backup-codes-download")).ToBeVisibleAsync();
        await Page.GetByTestId("backup-codes-done").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");

        // Act 2: sign out, sign in with the next TOTP code (the enrollment's own code is spent).
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/2fa"));
        await Page.GetByTestId("verify-code").FillAsync(await ExternalTools.TotpAsync(secret, offsetSeconds: 30));
        await Page.GetByTestId("verify-submit").ClickAsync();
        await WaitForSettingsAsync(Page);

        // Act 3: sign out, sign in with a backup code (typed with a space).
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("verify-code").FillAsync(codes[0][..5] + " " + codes[0][5..]);
        await Page.GetByTestId("verify-submit").ClickAsync();
        await WaitForSettingsAsync(Page);

        // Act 4: the same backup code a second time.
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("verify-code").FillAsync(codes[0]);
        await Page.GetByTestId("verify-submit").ClickAsync();

        // Assert: refused with a message, still on the 2FA page.
        await Assertions.Expect(Page.GetByTestId("verify-error")).ToBeVisibleAsync();
        Assert.Contains("/account/login/2fa", Page.Url);
    }

    [Fact]
    public async Task EnableDialog_WrongCodeThenCancel_KeepsQrThenDiscards()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("tfa-qr").WaitForAsync();
        var secret = await Page.GetByTestId("tfa-secret").InnerTextAsync();
        var right = await ExternalTools.TotpAsync(secret.Replace(" ", ""));

        await Input(Page, "tfa-code").FillAsync(right == "000000" ? "111111" : "000000");
        await Page.GetByTestId("tfa-confirm").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("tfa-error")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("tfa-secret")).ToHaveTextAsync(secret);
        await Page.GetByTestId("tfa-cancel").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("tfa-qr")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "not-enabled");
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await Page.GetByTestId("tfa-qr").WaitForAsync();
        await Assertions.Expect(Page.GetByTestId("tfa-secret")).Not.ToHaveTextAsync(secret);
    }

}
