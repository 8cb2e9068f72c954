using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// axe-core on the dialogs that <see cref="AccessibilityBrowserTests"/> does not reach: the Renew dialog (opened from
/// the expired chip), the dialog that proves a new e-mail address with the mailed code, and the new backup codes
/// after "Regenerate"; in English and German, light and dark, no <c>serious</c> or <c>critical</c> violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DialogAccessibilityBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private readonly AxeScan _axe = new();

    // Every protected change asks again, so each dialog is reached through the re-verification modal.
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" };

    public static TheoryData<string, string> LanguagesAndThemes => new()
    {
        { "en", "light" }, { "en", "dark" }, { "de", "light" }, { "de", "dark" },
    };

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task RenewEmailConfirmAndNewBackupCodes_Dialogs_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        // The e-mail confirmation dialog: a new address with verification by e-mail (admin without TOTP yet) asks
        // for the mailed code.
        await PrepareAsync(language, theme);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Input(Page, "settings-email").FillAsync("admin@example.com");
        await Input(Page, "settings-email-verification").CheckAsync();
        await Page.GetByTestId("settings-submit").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Expect(Input(Page, "email-confirm-code")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "e-mail confirmation dialog");
        await Input(Page, "email-confirm-code").FillAsync("000000");
        await Page.GetByTestId("email-confirm-submit").ClickAsync();
        // A wrong code is told at the field (email-confirm-error is for what is not about the code).
        await Expect(Input(Page, "email-confirm-code")).ToHaveAttributeAsync("aria-invalid", "true");
        await _axe.CheckAsync(Page, "e-mail confirmation dialog with error");
        await Page.GetByTestId("email-confirm-cancel").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        // Then an authenticator key older than the expiry (so the chip says Renew), signed in again with a backup code
        // (the enabling code spent the current TOTP step).
        // Leave the settings page first: enabling 2FA ends its session, and the live page's own redirect to the sign-in
        // page would race the navigation below (net::ERR_ABORTED).
        await Page.GotoAsync("about:blank");
        var unusedBackupCodes = new Queue<string>(await EnableExpiredTotpAsync());
        await Context.ClearCookiesAsync();
        await PrepareAsync(language, theme);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("verify-code").FillAsync(unusedBackupCodes.Dequeue());
        await Page.GetByTestId("verify-submit").ClickAsync();
        await WaitForSettingsAsync(Page);
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "expired");

        // The Renew dialog, from the expired chip (the banner's "Renew now" leads to the same button).
        await Expect(Page.GetByTestId("tfa-reminder")).ToBeVisibleAsync();
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, unusedBackupCodes.Dequeue());
        await Expect(Page.GetByTestId("tfa-qr")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "renew 2FA dialog");
        await Input(Page, "tfa-code").FillAsync("000000");
        await Page.GetByTestId("tfa-confirm").ClickAsync();
        await Expect(Page.GetByTestId("tfa-error")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "renew 2FA dialog with error");
        await Page.GetByTestId("tfa-cancel").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        // The new backup codes, through "Regenerate" on the Security tab.
        await Page.GetByTestId("tab-security").ClickAsync();
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
        await Page.GetByTestId("backup-codes-regenerate").ClickAsync();
        await Page.Locator(".mud-dialog .mud-dialog-actions button").Last.ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, unusedBackupCodes.Dequeue());
        await Expect(Page.GetByTestId("backup-codes")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "regenerated backup codes dialog");
        await Expect(Page.GetByTestId("backup-code")).ToHaveCountAsync(6);

        Assert.Equal(5, _axe.Scanned.Count);
        _axe.AssertClean();
    }

    private async Task PrepareAsync(string language, string theme) =>
        await Context.AddCookiesAsync(
        [
            new Cookie { Name = "rd.theme", Value = theme, Url = BaseUrl },
            new Cookie { Name = "rd.culture", Value = Uri.EscapeDataString($"c={language}|uic={language}"), Url = BaseUrl },
        ]);

    /// <summary>Enables TOTP for admin and moves the key's last change past the expiry (180 days by default).</summary>
    private async Task<IReadOnlyList<string>> EnableExpiredTotpAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin");
        var (_, codes) = await TestSessions.EnableTotpAsync(App.Services, admin!.Id, s => ExternalTools.TotpAsync(s));
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var authenticator = await db.TotpAuthenticators.SingleAsync(a => a.UserId == admin.Id);
        authenticator.SecretChangedAt = DateTime.UtcNow.AddDays(-181);
        await db.SaveChangesAsync();
        return codes;
    }
}
