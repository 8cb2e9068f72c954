using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// More of the console with the keyboard alone (see <see cref="KeyboardBrowserTests"/>): focus goes back to the button
/// that opened a dialog when Escape closes it (Disable 2FA, Create user, a row menu's confirmation), and sign-in
/// completes with a backup code and with an e-mailed code by Tab, typing and Enter only. No test here clicks.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardFocusBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Bob = "bob";
    private const string BobPassword = "bob's long passphrase 42";

    /// <summary>The focused element's test id, or that of the MudBlazor field around the focused input.</summary>
    private const string FocusedTestId =
        "() => { const e = document.activeElement; if (!e) return ''; const c = e.closest('[data-testid]'); return c ? c.getAttribute('data-testid') : ''; }";

    private const string FocusInDialog = "() => !!document.activeElement && !!document.activeElement.closest('.mud-dialog')";

    private readonly SmtpListener _smtp = new();

    protected override IDictionary<string, string?>? Settings => _smtp.Settings;

    public override async Task InitializeAsync()
    {
        await _smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task DisableTwoFactorDialog_Escape_ReturnsFocusToTheDisableButton()
    {
        var backupCodes = await EnableTotpAsync("admin");
        await SignInWithKeyboardAsync("admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/2fa"));
        await TabToAsync("verify-code");
        await Page.Keyboard.TypeAsync(backupCodes[0]);
        await Page.Keyboard.PressAsync("Enter");
        await WaitForSettingsAsync(Page);
        await Page.GotoAsync("/settings/security");
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");

        await TabToAsync("tfa-disable");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("tfa-disable-dialog")).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync(FocusInDialog);
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("tfa-disable-dialog")).ToHaveCountAsync(0);

        await AssertFocusReturnsToAsync("tfa-disable");
    }

    [Fact]
    public async Task CreateUserDialog_Escape_ReturnsFocusToTheCreateButton()
    {
        await SignInWithKeyboardAsync("admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Page.GotoAsync("/admin/users");
        await Expect(Page.GetByTestId("users-row").First).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);

        await TabToAsync("users-create");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("users-create-dialog")).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync(FocusInDialog);
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("users-create-dialog")).ToHaveCountAsync(0);

        await AssertFocusReturnsToAsync("users-create");
    }

    [Fact]
    public async Task RowMenuConfirmation_Escape_ReturnsFocusToTheRowMenuButton()
    {
        await CreateUserAsync(Bob, _ => { });
        await SignInWithKeyboardAsync("admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Page.GotoAsync("/admin/users");
        await Expect(Page.GetByTestId("users-actions")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);

        // Bob's row is the only one with a menu (nobody acts on their own account).
        await TabToAsync("users-actions");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("users-action-force-logout")).ToBeVisibleAsync();
        await MoveInMenuToAsync("users-action-force-logout");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync(FocusInDialog);
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        await AssertFocusReturnsToAsync("users-actions");
    }

    [Fact]
    public async Task SignIn_PasswordAndBackupCode_KeyboardOnly_ReachesTheConsole()
    {
        var backupCodes = await EnableTotpAsync("admin");

        await SignInWithKeyboardAsync("admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/2fa"));
        await TabToAsync("verify-code");
        await Page.Keyboard.TypeAsync(backupCodes[^1]);
        await TabToAsync("verify-submit");
        await Page.Keyboard.PressAsync("Enter");

        await WaitForSettingsAsync(Page);
        Assert.Equal("/settings", new Uri(Page.Url).AbsolutePath);
    }

    [Fact]
    public async Task SignIn_PasswordAndEmailedCode_KeyboardOnly_ReachesTheConsole()
    {
        await CreateUserAsync(Bob, u => { u.EmailConfirmed = true; u.EmailLoginVerification = true; });

        await SignInWithKeyboardAsync(Bob, BobPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/email"));
        var mail = await _smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(a => a.Address == Bob + "@example.com"));
        await TabToAsync("email-code");
        await Page.Keyboard.TypeAsync(CodeIn(mail));
        await TabToAsync("email-code-submit");
        await Page.Keyboard.PressAsync("Enter");

        await WaitForSettingsAsync(Page);
        Assert.Equal("/settings", new Uri(Page.Url).AbsolutePath);
    }

    private async Task<IReadOnlyList<string>> EnableTotpAsync(string userName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName);
        var (_, codes) = await TestSessions.EnableTotpAsync(App.Services, user!.Id, s => ExternalTools.TotpAsync(s));
        return codes;
    }

    private async Task CreateUserAsync(string userName, Action<ConsoleUser> shape)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = userName + "@example.com", CreatedAt = DateTime.UtcNow };
        shape(user);
        Assert.True((await users.CreateAsync(user, BobPassword)).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
    }

    private static string CodeIn(MimeMessage message) =>
        Regex.Match(message.TextBody ?? "", @"(?<![0-9])[0-9]{6}(?![0-9])").Value;

    /// <summary>Waits (briefly) for the focus to land back on <paramref name="testId"/>; fails naming where it is instead.</summary>
    private async Task AssertFocusReturnsToAsync(string testId)
    {
        try
        {
            await Page.WaitForFunctionAsync($"() => ({FocusedTestId})() === '{testId}'", null, new() { Timeout = 3_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"After Escape the focus did not return to {testId}; it is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200)")}");
        }
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

    /// <summary>Moves through an open menu with the arrow keys (then Tab) until <paramref name="testId"/> has the focus.</summary>
    private async Task MoveInMenuToAsync(string testId)
    {
        foreach (var key in new[] { "ArrowDown", "Tab" })
        {
            for (var presses = 0; presses < 15; presses++)
            {
                if (await Page.EvaluateAsync<string>(FocusedTestId) == testId)
                {
                    return;
                }
                await Page.Keyboard.PressAsync(key);
            }
        }
        Assert.Fail($"The menu never focused {testId}; focus is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200)")}");
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
