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
/// axe-core on the screens that <see cref="AccessibilityBrowserTests"/> and <see cref="DialogAccessibilityBrowserTests"/>
/// do not reach: the access-denied, not-found and status pages; the Security tab with 2FA on, the re-verification modal
/// asking for a 2FA code, the Devices tab with another session to revoke, the expired-2FA banner; every confirmation the
/// users page's row menu offers an administrator; the language menu, the user menu and the audit page's date range
/// picker opened. In English and German, light and dark: no <c>serious</c> or <c>critical</c> violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UncoveredScreensAccessibilityBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Bob = "bob";
    private const string Carol = "carol";
    private const string Password = "bob's long passphrase 42";

    private readonly AxeScan _axe = new();

    // Every protected change asks again, so the re-verification modal shows each time.
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" };

    public static TheoryData<string, string> LanguagesAndThemes => new()
    {
        { "en", "light" }, { "en", "dark" }, { "de", "light" }, { "de", "dark" },
    };

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task AccessDeniedNotFoundAndStatusPages_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        await CreateUserAsync(Bob, _ => { });
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, Bob, Password);
        await WaitForSettingsAsync(Page);

        // A plain user on an administrator's page.
        await Page.GotoAsync("/admin/users");
        await Page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/account/access-denied");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await _axe.CheckAsync(Page, "access denied");

        await Page.GotoAsync("/not-found");
        await _axe.CheckAsync(Page, "not found");
        var unknown = await Page.GotoAsync("/no-such-page/at-all");
        Assert.Equal(404, unknown!.Status);
        await _axe.CheckAsync(Page, "unknown route");
        foreach (var code in new[] { 404, 429, 503 })
        {
            await Page.GotoAsync($"/status/{code}");
            await Expect(Page.GetByTestId("status-title")).ToBeVisibleAsync();
            await _axe.CheckAsync(Page, $"status {code}");
        }

        Assert.Equal(6, _axe.Scanned.Count);
        _axe.AssertClean();
    }

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task TwoFactorOnScreens_SecurityReVerifyDevicesAndExpiredBanner_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        await CreateUserAsync(Bob, _ => { });
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, Bob, Password);
        await WaitForSettingsAsync(Page);

        // Enable 2FA through the page.
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, Password);
        await Expect(Page.GetByTestId("tfa-qr")).ToBeVisibleAsync();
        var secret = (await Page.GetByTestId("tfa-secret").InnerTextAsync()).Replace(" ", "");
        await Input(Page, "tfa-code").FillAsync(await ExternalTools.TotpAsync(secret));
        await Page.GetByTestId("tfa-confirm").ClickAsync();
        await Expect(Page.GetByTestId("backup-codes")).ToBeVisibleAsync();
        var backupCodes = new Queue<string>(await Page.GetByTestId("backup-code").AllInnerTextsAsync());
        await Page.GetByTestId("backup-codes-done").ClickAsync();
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");

        // The Security tab with 2FA on (regenerate, disable, remaining backup codes).
        await Page.GetByTestId("tab-security").ClickAsync();
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
        await Expect(Page.GetByTestId("tfa-disable")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "settings security, 2FA on");

        // The re-verification modal asks for a code now (not the password).
        await Page.GetByTestId("backup-codes-regenerate").ClickAsync();
        await Page.Locator(".mud-dialog .mud-dialog-actions button").Last.ClickAsync();
        await Expect(Page.GetByTestId("reverify-dialog")).ToBeVisibleAsync();
        await Expect(Input(Page, "reverify-code")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "re-verify dialog, 2FA code");
        await Input(Page, "reverify-code").FillAsync("000000");
        await Page.GetByTestId("reverify-submit").ClickAsync();
        await Expect(Page.GetByTestId("reverify-error")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "re-verify dialog, 2FA code, with error");
        await Page.GetByTestId("reverify-cancel").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        // A second session (another browser), so that the Devices tab offers to revoke it.
        var (second, secondPage) = await NewContextAsync();
        try
        {
            await PrepareAsync(second, language, theme);
            await SignInAsync(secondPage, Bob, Password);
            await secondPage.GetByTestId("verify-code").FillAsync(backupCodes.Dequeue());
            await secondPage.GetByTestId("verify-submit").ClickAsync();
            await WaitForSettingsAsync(secondPage);
        }
        finally
        {
            await second.DisposeAsync();
        }
        await Page.GotoAsync("/settings/devices");
        await Expect(Page.GetByTestId("device-row")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("device-revoke").First).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await _axe.CheckAsync(Page, "settings devices, two sessions");

        // The authenticator key older than the expiry: the banner and the expired chip.
        await AgeAuthenticatorAsync(Bob);
        await Page.GotoAsync("/settings");
        await WaitForSettingsAsync(Page);
        await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "expired");
        await Expect(Page.GetByTestId("tfa-reminder")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "settings basic, 2FA expired banner");

        Assert.Equal(5, _axe.Scanned.Count);
        _axe.AssertClean();
    }

    [Theory]
    [MemberData(nameof(LanguagesAndThemes))]
    public async Task StaffConfirmationsMenusAndDatePicker_HaveNoSeriousOrCriticalViolation(string language, string theme)
    {
        // Bob offers every conditional action (2FA on, enforced, e-mail verification, locked); Carol offers Enforce.
        await CreateUserAsync(Bob, u =>
        {
            u.EmailConfirmed = true;
            u.EmailLoginVerification = true;
            u.TwoFactorEnforced = true;
        });
        await CreateUserAsync(Carol, _ => { });
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var bob = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(Bob);
            await TestSessions.EnableTotpAsync(App.Services, bob!.Id, s => ExternalTools.TotpAsync(s));
        }
        await using (var scope = App.Services.CreateAsyncScope())
        {
            // Locked only now (a locked account cannot enable 2FA), through a fresh context that sees the new stamps.
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            var locked = await db.Users.Where(u => u.UserName == Bob)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockedOutUntil, DateTime.UtcNow.AddHours(1)));
            Assert.Equal(1, locked);
        }
        await PrepareAsync(Context, language, theme);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // The language menu and the user menu, opened.
        await Page.Locator("[data-testid='language-switch'] button").First.ClickAsync();
        await Expect(Page.GetByTestId("language-de")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "language menu");
        // (Escape does not close a menu opened with the mouse; a fresh page does.)
        await Page.ReloadAsync();
        await WaitForSettingsAsync(Page);
        await Page.Locator("[data-testid='user-menu'] button").First.ClickAsync();
        await Expect(Page.GetByTestId("menu-settings")).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "user menu");

        // Every action the row menu offers, each confirmation or edit dialog opened, scanned and dismissed with Escape.
        await OpenUsersAsync();
        var seen = new List<string>();
        foreach (var user in new[] { Bob, Carol })
        {
            var actions = Page.Locator("tr").Filter(new() { Has = Page.Locator($"[data-testid='users-row'][data-user='{user}']") }).GetByTestId("users-actions");
            await Expect(actions).ToBeVisibleAsync();
            await actions.Locator("button").First.ClickAsync();
            var items = Page.Locator("[data-testid^='users-action-']");
            await Expect(items.First).ToBeVisibleAsync();
            var offered = new List<string>();
            foreach (var item in await items.AllAsync())
            {
                offered.Add((await item.GetAttributeAsync("data-testid"))!);
            }
            await OpenUsersAsync();
            foreach (var action in offered.Where(a => !seen.Contains(a)))
            {
                seen.Add(action);
                await actions.Locator("button").First.ClickAsync();
                await Page.GetByTestId(action).ClickAsync();
                await Expect(Page.Locator(".mud-dialog")).ToBeVisibleAsync();
                await _axe.CheckAsync(Page, $"{action} dialog ({user})");
                await Page.Keyboard.PressAsync("Escape");
                await Expect(Page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            }
        }
        Assert.Equal(
            new[]
            {
                "users-action-disable-email-verification", "users-action-edit-email", "users-action-edit-profile", "users-action-edit-roles",
                "users-action-enforce-2fa", "users-action-force-logout", "users-action-reset-2fa", "users-action-stop-enforcing-2fa",
                "users-action-unlock",
            },
            seen.Order(StringComparer.Ordinal));

        // The audit page's date range picker, opened.
        await Page.GotoAsync("/admin/audit");
        await Expect(Page.GetByTestId("audit-row").First).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await Page.Locator("input[data-testid='audit-filter-dates'], [data-testid='audit-filter-dates'] input, .mud-picker input").First.ClickAsync();
        await Expect(Page.Locator(".mud-popover-open").First).ToBeVisibleAsync();
        await _axe.CheckAsync(Page, "audit date range picker");

        Assert.Equal(12, _axe.Scanned.Count);
        _axe.AssertClean();
    }

    private async Task OpenUsersAsync()
    {
        await Page.GotoAsync("/admin/users");
        await Expect(Page.GetByTestId("users-actions").First).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
    }

    private async Task PrepareAsync(IBrowserContext context, string language, string theme) =>
        await context.AddCookiesAsync(
        [
            new Cookie { Name = "rd.theme", Value = theme, Url = BaseUrl },
            new Cookie { Name = "rd.culture", Value = Uri.EscapeDataString($"c={language}|uic={language}"), Url = BaseUrl },
        ]);

    private async Task CreateUserAsync(string userName, Action<ConsoleUser> shape)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = userName + "@example.com", CreatedAt = DateTime.UtcNow };
        shape(user);
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
    }

    /// <summary>Moves the user's authenticator key's last change past the expiry (180 days by default).</summary>
    private async Task AgeAuthenticatorAsync(string userName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        var authenticator = await db.TotpAuthenticators.SingleAsync(a => a.UserId == user.Id);
        authenticator.SecretChangedAt = DateTime.UtcNow.AddDays(-181);
        await db.SaveChangesAsync();
    }
}
