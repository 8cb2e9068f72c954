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
        text.AppendLine("Every screen of the console at desktop (1280×860) and phone (390×844) size, light and dark, in English.");
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
