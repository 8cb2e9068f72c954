using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// The console with the keyboard alone: Tab / Shift+Tab to move, Enter or Space to press, typing into the focused
/// field. No test here clicks. Focus goes into a dialog when it opens and back to the button that opened it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    /// <summary>The focused element's test id, or that of the MudBlazor field around the focused input.</summary>
    private const string FocusedTestId =
        "() => { const e = document.activeElement; if (!e) return ''; const c = e.closest('[data-testid]'); return c ? c.getAttribute('data-testid') : ''; }";

    private const string FocusInDialog = "() => !!document.activeElement && !!document.activeElement.closest('.mud-dialog')";

    [Fact]
    public async Task Enrollment_KeyboardOnly_OpensCopiesConfirmsDownloadsAndCloses()
    {
        await Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await SignInWithKeyboardAsync("admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // Open Enable 2FA, then cancel with the keyboard: focus goes into the modal and comes back to the button.
        await TabToAsync("tfa-enable");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("reverify-dialog")).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync(FocusInDialog);
        await TabToAsync("reverify-cancel");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("reverify-dialog")).ToHaveCountAsync(0);
        await Page.WaitForFunctionAsync($"() => ({FocusedTestId})() === 'tfa-enable'");

        // Again, for real: the password in the modal (focus is in its field), then the key dialog.
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("reverify-dialog")).ToBeVisibleAsync();
        await TabToAsync("reverify-code");
        await Page.Keyboard.TypeAsync(ConsoleAppFactory.AdminPassword);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("tfa-qr")).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync(FocusInDialog);

        // Copy the key: the button is reachable, the key lands on the clipboard, and the success is announced.
        await TabToAsync("tfa-secret-copy");
        await Page.Keyboard.PressAsync("Enter");
        var secret = (await Page.GetByTestId("tfa-secret").InnerTextAsync()).Replace(" ", "");
        var announced = Page.Locator("[role='alert'], [role='status'], [aria-live]").Filter(new() { HasText = "Copied" });
        await Expect(announced.First).ToBeVisibleAsync();
        Assert.Equal(secret, await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // Type the code, confirm, download the backup codes, close.
        await TabToAsync("tfa-code");
        await Page.Keyboard.TypeAsync(await ExternalTools.TotpAsync(secret));
        await TabToAsync("tfa-confirm");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("backup-codes")).ToBeVisibleAsync();
        // The Confirm button is gone: the focus has moved to Download, not been lost on <body>.
        await Page.WaitForFunctionAsync($"() => ({FocusedTestId})() === 'backup-codes-download'");
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Keyboard.PressAsync("Space"));
        Assert.Equal("rustdesk-backup-codes.txt", download.SuggestedFilename);
        await TabToAsync("backup-codes-done");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("backup-codes")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");
        // The Enable button has become the 2FA chip: the focus is on it, not lost on <body>.
        await Page.WaitForFunctionAsync($"() => ({FocusedTestId})() === 'tfa-state'");
    }

    [Fact]
    public async Task SignIn_PasswordAndTotp_KeyboardOnly_ReachesTheConsole()
    {
        string secret;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin");
            (secret, _) = await TestSessions.EnableTotpAsync(App.Services, admin!.Id, s => ExternalTools.TotpAsync(s));
        }

        await SignInWithKeyboardAsync("admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/2fa"));
        await TabToAsync("verify-code");
        await Page.Keyboard.TypeAsync(await ExternalTools.TotpAsync(secret, offsetSeconds: 30));
        await TabToAsync("verify-submit");
        await Page.Keyboard.PressAsync("Enter");

        await WaitForSettingsAsync(Page);
        Assert.Equal("/settings", new Uri(Page.Url).AbsolutePath);
    }

    private async Task SignInWithKeyboardAsync(string userName, string password)
    {
        await Page.GotoAsync("/account/login");
        await TabToAsync("login-username");
        await Page.Keyboard.TypeAsync(userName);
        await TabToAsync("login-password");
        await Page.Keyboard.TypeAsync(password);
        await Page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Presses Tab until the element with <paramref name="testId"/> (or the field around it) has the focus.</summary>
    private async Task TabToAsync(string testId)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            if (await Page.EvaluateAsync<string>(FocusedTestId) == testId)
            {
                return;
            }
            await Page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {testId}; focus is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200)")}");
    }
}
