using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// The screen gallery (<c>docs/screens/</c>): every screen at desktop (1280×860) and phone (390×844) size, light and
/// dark, each checked for its key element and saved as a PNG. The PNGs and the index land in the tracked folder only
/// under <c>RUSTDESK_SCREENS=1</c> (<c>scripts/screens.sh</c>); a normal run writes them to a temp folder.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenGalleryBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Bob = "bob";
    private const string BobPassword = "bob's long passphrase 42";

    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1280, 860), ("phone", 390, 844)];
    private static readonly string[] Themes = ["light", "dark"];

    /// <summary>Screen file name → title, in the order the index lists them.</summary>
    private static readonly (string File, string Title)[] Index =
    [
        ("sign-in", "Sign-in"),
        ("sign-in-2fa", "Sign-in, 2FA step (TOTP or backup code)"),
        ("sign-in-email", "Sign-in, emailed-code step"),
        ("settings-basic", "Settings, Basic tab"),
        ("settings-security", "Settings, Security tab"),
        ("settings-devices", "Settings, Devices tab"),
        ("reverify-dialog", "Re-verification modal"),
        ("enable-2fa-dialog", "Enable 2FA dialog with QR code"),
        ("backup-codes-dialog", "Backup codes dialog"),
        ("admin-users", "Users (administrator)"),
        ("admin-audit", "Audit log"),
        ("admin-smtp", "SMTP settings"),
        ("settings-security-2fa-on", "Settings, Security tab with 2FA on"),
        ("disable-2fa-dialog", "Disable 2FA dialog"),
        ("create-user-dialog", "Create user dialog"),
        ("user-menu", "User menu (open)"),
        ("user-actions-menu", "Users, a row's actions (open)"),
        ("staff-edit-email-dialog", "Users, a staff action's dialog (edit email)"),
        ("settings-security-german", "Settings, Security tab in German"),
        ("admin-users-german", "Users in German"),
        ("not-found", "Page not found"),
    ];

    private static readonly (string File, string Path, string TestId)[] SignedInPages =
    [
        ("settings-basic", "/settings", "settings-email"),
        ("settings-security", "/settings/security", "password-current"),
        ("settings-devices", "/settings/devices", "device-row"),
        ("admin-users", "/admin/users", "users-row"),
        ("admin-audit", "/admin/audit", "audit-grid"),
        ("admin-smtp", "/admin/smtp", "smtp-host"),
    ];

    private readonly string _folder = Screenshots.Folder("screens");
    private readonly List<string> _saved = [];

    // Every protected change asks again, so the re-verification modal shows each time the gallery needs it.
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" };

    [Fact]
    public async Task Gallery_EveryScreenAtDesktopAndPhoneInLightAndDark_RendersItsKeyElementAndIsSaved()
    {
        await SeedEmailVerifiedUserAsync();
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        string? backupCode = null;
        foreach (var theme in Themes)
        {
            await SetThemeAsync(Context, theme);
            foreach (var size in Sizes)
            {
                await Page.SetViewportSizeAsync(size.Width, size.Height);
                foreach (var (file, path, testId) in SignedInPages)
                {
                    await Page.GotoAsync(path);
                    await Expect(Page.Locator($"[data-testid='{testId}']").First).ToBeVisibleAsync();
                    await WaitForInteractiveAsync(Page);
                    await SaveAsync(Page, file, size.Name, theme, fullPage: true);
                }
            }

            // The enable dialog: re-verification first, then the QR code. Light cancels it; dark enables 2FA.
            await Page.GotoAsync("/settings");
            await ConsolePage.WaitForInteractiveAsync(Page, "settings-email");
            await Page.GetByTestId("tfa-enable").ClickAsync();
            await ShootBothSizesAsync("reverify-dialog", theme, "reverify-dialog");
            await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
            await ShootBothSizesAsync("enable-2fa-dialog", theme, "tfa-qr");
            if (theme == "light")
            {
                await Page.GetByTestId("tfa-cancel").ClickAsync();
                await Expect(Page.GetByTestId("tfa-qr")).ToHaveCountAsync(0);
                continue;
            }
            var secret = (await Page.GetByTestId("tfa-secret").InnerTextAsync()).Replace(" ", "");
            await Input(Page, "tfa-code").FillAsync(await ExternalTools.TotpAsync(secret));
            await Page.GetByTestId("tfa-confirm").ClickAsync();
            await ShootBothSizesAsync("backup-codes-dialog", theme, "backup-codes");
            backupCode = (await Page.GetByTestId("backup-code").First.InnerTextAsync()).Replace(" ", "");
            await Page.GetByTestId("backup-codes-done").ClickAsync();
            await Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");
        }

        // The light backup codes dialog: new codes from the Security tab, confirmed with a backup code.
        await SetThemeAsync(Context, "light");
        await Page.GotoAsync("/settings/security");
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
        await Page.GetByTestId("backup-codes-regenerate").ClickAsync();
        await Page.Locator(".mud-dialog .mud-dialog-actions button").Filter(new() { HasText = "Generate new codes" }).ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, backupCode!);
        await ShootBothSizesAsync("backup-codes-dialog", "light", "backup-codes");

        // 2FA is on now: the Security tab with it, the disable dialog, the create-user dialog, the open user menu.
        foreach (var theme in Themes)
        {
            await SetThemeAsync(Context, theme);
            foreach (var size in Sizes)
            {
                await Page.SetViewportSizeAsync(size.Width, size.Height);
                await Page.GotoAsync("/settings/security");
                await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
                await Expect(Page.GetByTestId("tfa-disable")).ToBeVisibleAsync();
                await SaveAsync(Page, "settings-security-2fa-on", size.Name, theme, fullPage: true);
                await Page.GetByTestId("tfa-disable").ClickAsync();
                await Expect(Page.GetByTestId("tfa-disable-dialog")).ToBeVisibleAsync();
                await SaveAsync(Page, "disable-2fa-dialog", size.Name, theme, fullPage: false);
                await Page.Keyboard.PressAsync("Escape");
                await Expect(Page.GetByTestId("tfa-disable-dialog")).ToHaveCountAsync(0);

                await Page.GotoAsync("/admin/users");
                await ConsolePage.WaitForInteractiveAsync(Page, "users-search");
                await Page.GetByTestId("users-create").ClickAsync();
                await Expect(Page.GetByTestId("users-create-dialog")).ToBeVisibleAsync();
                await SaveAsync(Page, "create-user-dialog", size.Name, theme, fullPage: false);
                await Page.Keyboard.PressAsync("Escape");
                await Expect(Page.GetByTestId("users-create-dialog")).ToHaveCountAsync(0);
                var bob = Page.Locator("tr", new() { Has = Page.Locator($"[data-testid='users-row'][data-user='{Bob}']") });
                await bob.Locator("[data-testid='users-actions'] button").ClickAsync();
                await Expect(Page.GetByTestId("users-action-edit-email")).ToBeVisibleAsync();
                await SaveAsync(Page, "user-actions-menu", size.Name, theme, fullPage: false);
                await Page.GetByTestId("users-action-edit-email").ClickAsync();
                await Expect(Page.GetByTestId("users-email-dialog")).ToBeVisibleAsync();
                await SaveAsync(Page, "staff-edit-email-dialog", size.Name, theme, fullPage: false);
                await Page.Keyboard.PressAsync("Escape");
                await Expect(Page.GetByTestId("users-email-dialog")).ToHaveCountAsync(0);
                await Page.Locator("[data-testid='user-menu'] button").ClickAsync();
                await Expect(Page.GetByTestId("menu-settings")).ToBeVisibleAsync();
                await SaveAsync(Page, "user-menu", size.Name, theme, fullPage: false);
                await Page.Keyboard.PressAsync("Escape");

                await Page.GotoAsync("/no-such-page");
                await Expect(Page.Locator("h1, .mud-typography-h4, .mud-typography-h5").First).ToBeVisibleAsync();
                await SaveAsync(Page, "not-found", size.Name, theme, fullPage: true);
            }
        }

        // German labels are the long ones: the Security tab and the users page in German.
        await Context.AddCookiesAsync([new Cookie { Name = "rd.culture", Value = Uri.EscapeDataString("c=de|uic=de"), Url = BaseUrl }]);
        foreach (var theme in Themes)
        {
            await SetThemeAsync(Context, theme);
            foreach (var size in Sizes)
            {
                await Page.SetViewportSizeAsync(size.Width, size.Height);
                await Page.GotoAsync("/settings/security");
                await ConsolePage.WaitForInteractiveAsync(Page, "password-current");
                await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "de");
                await SaveAsync(Page, "settings-security-german", size.Name, theme, fullPage: true);
                await Page.GotoAsync("/admin/users");
                await Expect(Page.GetByTestId("users-row").First).ToBeVisibleAsync();
                await WaitForInteractiveAsync(Page);
                await SaveAsync(Page, "admin-users-german", size.Name, theme, fullPage: true);
            }
        }
        await Context.ClearCookiesAsync(new() { Name = "rd.culture" });

        // Signed out: the sign-in page and both second steps, in a context of their own.
        var (anonymous, page) = await NewContextAsync();
        await using (anonymous)
        {
            await ShootSignInStepAsync(anonymous, page, "sign-in", "login-username", null);
            await ShootSignInStepAsync(anonymous, page, "sign-in-2fa", "verify-code", async () =>
            {
                await SignInAsync(page, "admin", ConsoleAppFactory.AdminPassword);
                await page.WaitForURLAsync(u => u.Contains("/account/login/2fa"));
            });
            await anonymous.ClearCookiesAsync();
            await ShootSignInStepAsync(anonymous, page, "sign-in-email", "email-code", async () =>
            {
                await SignInAsync(page, Bob, BobPassword);
                await page.WaitForURLAsync(u => u.Contains("/account/login/email"));
            });
        }

        await WriteIndexAsync();
        Assert.Equal(Index.Length * Sizes.Length * Themes.Length, _saved.Distinct().Count());
    }

    /// <summary>A signed-out page (after <paramref name="reach"/> got there once), reloaded in each theme and size.</summary>
    private async Task ShootSignInStepAsync(IBrowserContext context, IPage page, string file, string testId, Func<Task>? reach)
    {
        if (reach is not null)
        {
            await reach();
        }
        var path = reach is null ? "/account/login" : new Uri(page.Url).PathAndQuery;
        foreach (var theme in Themes)
        {
            await SetThemeAsync(context, theme);
            foreach (var size in Sizes)
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.GotoAsync(path);
                await Expect(page.GetByTestId(testId)).ToBeVisibleAsync();
                await AssertThemeAsync(page, theme);
                await SaveAsync(page, file, size.Name, theme, fullPage: true);
            }
        }
    }

    /// <summary>An open dialog, at both sizes (MudBlazor lays it out again on resize).</summary>
    private async Task ShootBothSizesAsync(string file, string theme, string testId)
    {
        foreach (var size in Sizes)
        {
            await Page.SetViewportSizeAsync(size.Width, size.Height);
            await Expect(Page.GetByTestId(testId)).ToBeVisibleAsync();
            await SaveAsync(Page, file, size.Name, theme, fullPage: false);
        }
        await Page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
    }

    private async Task SaveAsync(IPage page, string file, string size, string theme, bool fullPage)
    {
        await AssertThemeAsync(page, theme);
        // Let transitions (dialog fade-in, ripple) settle so that the picture is the resting screen.
        await ConsolePage.WaitForTransitionsAsync(page);
        var name = $"{file}-{size}-{theme}.png";
        var path = Path.Combine(_folder, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(path).Length > 5_000, $"{name} is suspiciously small");
        _saved.Add(name);
    }

    private static async Task AssertThemeAsync(IPage page, string theme) =>
        await Expect(page.Locator("body")).ToHaveAttributeAsync("class", new Regex($@"(^|\s)rd-{theme}(\s|$)"));

    private async Task SetThemeAsync(IBrowserContext context, string theme) =>
        await context.AddCookiesAsync([new Cookie { Name = "rd.theme", Value = theme, Url = BaseUrl }]);

    /// <summary>A user whose sign-in asks for an emailed code (address confirmed, email login verification on).</summary>
    private async Task SeedEmailVerifiedUserAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser
        {
            UserName = Bob, Email = "bob@example.com", EmailConfirmed = true, EmailLoginVerification = true, CreatedAt = DateTime.UtcNow,
        };
        Assert.True((await users.CreateAsync(user, BobPassword)).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
    }

    /// <summary>docs/screens/README.md: one row per screen, one column per size and theme.</summary>
    private async Task WriteIndexAsync()
    {
        var text = new StringBuilder();
        text.AppendLine("# Screen gallery");
        text.AppendLine();
        text.AppendLine("The console's screens and dialogs at desktop (1280×860) and phone (390×844) size, light and dark, in English, and the");
        text.AppendLine("screens with the longest labels in German too. Not shown: the passkey forms, the other staff-action dialogs (the same shape) and the e-mail confirmation dialog.");
        text.AppendLine("Generated by `scripts/screens.sh` (the browser test `ScreenGalleryBrowserTests`); do not edit by hand.");
        text.AppendLine();
        text.AppendLine("| screen | desktop, light | desktop, dark | phone, light | phone, dark |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var (file, title) in Index)
        {
            var cells = Sizes.SelectMany(s => Themes.Select(t => $"[{s.Name}, {t}]({file}-{s.Name}-{t}.png)"));
            text.AppendLine($"| {title} | {string.Join(" | ", cells)} |");
        }
        await File.WriteAllTextAsync(Path.Combine(_folder, "README.md"), text.ToString());
    }
}
