using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Data;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Security;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// axe-core on every page and dialog of the console, in English and German, light and dark: no <c>serious</c> or
/// <c>critical</c> violation (colour contrast, names of buttons and fields, landmarks, the page's language…). One
/// browser, one signed-in context per run, one run per language and theme for each group of screens.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Bob = "bob";
    private const string BobPassword = "bob's long passphrase 42";

    private readonly AxeScan _axe = new();

    // Every protected change asks again, so the re-verification modal shows each time.
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" };

    public static TheoryData<string, string> LanguagesAndThemes => new()
    {
        { "en", "light" }, { "en", "dark" }, { "de", "light" }, { "de", "dark" },
    };

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task SignedOutPages_EveryStep_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        // Arrange: a user with TOTP, one with emailed codes, one held in enrollment, one who must change the password, an invitation.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin");
            await TestSessions.EnableTotpAsync(App.Services, admin!.Id, secret => ExternalTools.TotpAsync(secret));
        }
        await CreateUserAsync(Bob, BobPassword, u => { u.EmailConfirmed = true; u.EmailLoginVerification = true; });
        await CreateUserAsync("carol", BobPassword, u => u.TwoFactorEnforced = true);
        await CreateUserAsync("dave", BobPassword, u => u.MustChangePassword = true);
        var token = await InviteAsync();
        await PrepareAsync(Context, language, theme);

        // Sign-in (with the passkey button), the TOTP step, the emailed-code step.
        await Page.GotoAsync("/account/login");
        await Expect(Page.GetByTestId("login-passkey")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "sign-in");
        await SignInAsync(Page, "admin", "wrong password");
        await Expect(Page.GetByTestId("login-error")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "sign-in with error");
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Expect(Page.GetByTestId("verify-code")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "2FA step");
        await Page.GetByTestId("verify-code").FillAsync("000000");
        await Page.GetByTestId("verify-submit").ClickAsync();
        await Expect(Page.GetByTestId("verify-error")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "2FA step with error");
        await Context.ClearCookiesAsync();
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, Bob, BobPassword);
        await Expect(Page.GetByTestId("email-code")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "email step");

        // Held in enrollment, then the first-password page, then an invitation.
        await Context.ClearCookiesAsync();
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, "carol", BobPassword);
        await Page.WaitForURLAsync(u => u.Contains("/enrol-2fa"));
        await Expect(Page.GetByTestId("tfa-enable")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await _axe.CheckAsync(Page, "enrol-2fa");
        await Context.ClearCookiesAsync();
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, "dave", BobPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/change-password"));
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
        await Page.GetByTestId("password-new").FillAsync("password123");
        await Expect(Page.GetByTestId("password-strength")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "first password");
        await Context.ClearCookiesAsync();
        await PrepareAsync(Context, language, theme);
        await Page.GotoAsync("/account/invitation?token=" + Uri.EscapeDataString(token));
        await Expect(Page.GetByTestId("invitation-password")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "invitation");

        _axe.AssertClean();
    }

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task SettingsTabsAndDialogs_EveryScreen_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        await _axe.CheckAsync(Page, "settings basic");
        // Enable 2FA: re-verification, the QR dialog, the backup codes.
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await Expect(Page.GetByTestId("reverify-dialog")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "re-verify dialog");
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Expect(Page.GetByTestId("tfa-qr")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "enable 2FA dialog");
        var secret = (await Page.GetByTestId("tfa-secret").InnerTextAsync()).Replace(" ", "");
        await Input(Page, "tfa-code").FillAsync(await ExternalTools.TotpAsync(secret));
        await Page.GetByTestId("tfa-confirm").ClickAsync();
        await Expect(Page.GetByTestId("backup-codes")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "backup codes dialog");
        var backupCodes = await Page.GetByTestId("backup-code").AllInnerTextsAsync();
        await Page.GetByTestId("backup-codes-done").ClickAsync();
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");
        await _axe.CheckAsync(Page, "settings basic, 2FA on");

        // Security tab: its forms, passkeys (add, rename, remove), regenerate and disable.
        await SeedPasskeyAsync();
        await Page.GetByTestId("tab-security").ClickAsync();
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
        await _axe.CheckAsync(Page, "settings security");
        await Page.GetByTestId("passkey-add").ClickAsync();
        await Expect(Page.GetByTestId("passkey-name")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "passkey add");
        await Page.GetByTestId("passkey-cancel").ClickAsync();
        await Page.GetByTestId("passkey-rename").ClickAsync();
        await Expect(Page.GetByTestId("passkey-rename-name")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "passkey rename");
        // Cancel the rename (saving would ask for re-verification, which has its own scan above).
        await Page.GetByTestId("passkey-rename-save").Locator("xpath=following-sibling::button[1]").ClickAsync();
        await Page.GetByTestId("passkey-remove").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "passkey remove dialog");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Page.GetByTestId("backup-codes-regenerate").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "regenerate backup codes dialog");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Page.GetByTestId("tfa-disable").ClickAsync();
        await Expect(Page.GetByTestId("tfa-disable-dialog")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "disable 2FA dialog");
        await Page.Keyboard.PressAsync("Escape");
        await Page.GetByTestId("password-current").FillAsync("wrong");
        await Page.GetByTestId("password-new").FillAsync("short");
        await Page.GetByTestId("password-confirm").FillAsync("other");
        await _axe.CheckAsync(Page, "change password with errors");

        // Devices.
        await Page.GetByTestId("tab-devices").ClickAsync();
        await Expect(Page.GetByTestId("device-row").First).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "settings devices");

        Assert.NotEmpty(backupCodes);
        _axe.AssertClean();
    }

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task AdminPagesAndDialogs_EveryScreen_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        await CreateUserAsync(Bob, BobPassword, u => u.Email = "bob@example.com");
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        await Page.GotoAsync("/admin/users");
        await Expect(Page.GetByTestId("users-row").First).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await _axe.CheckAsync(Page, "users");
        await Page.GetByTestId("users-create").ClickAsync();
        await Expect(Page.GetByTestId("users-create-dialog")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "create user dialog");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("users-create-dialog")).ToHaveCountAsync(0);

        // Bob's is the only row with actions (nobody acts on their own account).
        var bobActions = Page.GetByTestId("users-actions").First;
        foreach (var (action, dialog) in new[]
                 {
                     ("users-action-edit-email", "users-email-dialog"), ("users-action-edit-profile", "users-profile-dialog"),
                     ("users-action-edit-roles", "users-roles-dialog"), ("users-action-force-logout", null),
                 })
        {
            await Page.GotoAsync("/admin/users");
            await Expect(bobActions).ToBeVisibleAsync();
            await WaitForInteractiveAsync(Page);
            await bobActions.ClickAsync();
            await Expect(Page.GetByTestId(action)).ToBeVisibleAsync();
            if (dialog is "users-email-dialog")
            {
                await _axe.CheckAsync(Page, "user actions menu");
            }
            await Page.GetByTestId(action).ClickAsync();
            var shown = dialog is null ? Page.Locator(".mud-dialog") : Page.GetByTestId(dialog);
            await Expect(shown).ToBeVisibleAsync();
            await _axe.CheckAsync(Page, action + " dialog");
        }

        await Page.GotoAsync("/admin/audit");
        await Expect(Page.GetByTestId("audit-row").First).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await _axe.CheckAsync(Page, "audit");
        await Page.GotoAsync("/admin/smtp");
        await Expect(Page.GetByTestId("smtp-host")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await _axe.CheckAsync(Page, "smtp");

        _axe.AssertClean();
    }

    private async Task PrepareAsync(IBrowserContext context, string language, string theme) =>
        await context.AddCookiesAsync(
        [
            new Cookie { Name = "rd.theme", Value = theme, Url = BaseUrl },
            new Cookie { Name = "rd.culture", Value = Uri.EscapeDataString($"c={language}|uic={language}"), Url = BaseUrl },
        ]);

    private async Task CreateUserAsync(string userName, string password, Action<ConsoleUser> shape)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = userName + "@example.com", CreatedAt = DateTime.UtcNow };
        shape(user);
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
    }

    private async Task<string> InviteAsync()
    {
        await CreateUserAsync("erin", OpaqueKey.New(), _ => { });
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == "erin");
        var token = OpaqueKey.New();
        db.Invitations.Add(new Invitation { UserId = user.Id, TokenHash = OpaqueKey.Hash(token), CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddDays(3) });
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>A stored passkey row for admin (never used to sign in here), so that rename and remove show.</summary>
    private async Task SeedPasskeyAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
        db.PasskeyCredentials.Add(new PasskeyCredential
        {
            UserId = admin.Id, CredentialId = [1, 2, 3, 4], PublicKey = [5, 6, 7], UserHandle = [8], Name = "Laptop", CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
    }
}
