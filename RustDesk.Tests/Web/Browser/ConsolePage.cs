using Microsoft.Playwright;

namespace RustDesk.Tests.Web.Browser;

/// <summary>Steps on the console's pages that several browser tests share.</summary>
internal static class ConsolePage
{
    /// <summary>
    /// Waits until the interactive circuit has rendered the field with <paramref name="testId"/>. The server-rendered
    /// page looks the same before that, but typing into it then is lost; only the interactive render marks the
    /// MudBlazor input with Blazor's element-reference attribute (<c>_bl_…</c>), which is what this waits for.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page, string testId) =>
        page.WaitForFunctionAsync(
            "id => { const e = document.querySelector(`input[data-testid='${id}']`); return !!e && [...e.attributes].some(a => a.name.startsWith('_bl_')); }",
            testId);

    /// <summary>
    /// Waits until no finite CSS transition or animation is running (a dialog's fade-in, a button's ripple), so that
    /// what is measured or pictured next is the resting screen. Endless ones (a spinner) are not waited for.
    /// </summary>
    public static Task WaitForTransitionsAsync(IPage page) =>
        page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");

    public static async Task OpenSettingsAsync(IPage page, string path = "/settings", string field = "settings-email")
    {
        if (!page.Url.EndsWith(path, StringComparison.Ordinal))
        {
            await page.GotoAsync(path);
        }
        await WaitForInteractiveAsync(page, field);
    }

    /// <summary>Signs out through the user menu, as a person would.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        await page.Locator("[data-testid='user-menu'] button").ClickAsync();
        await page.GetByTestId("logout").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
    }

    /// <summary>Changes the password on the security tab and waits for the confirmation.</summary>
    public static async Task ChangePasswordAsync(IPage page, string current, string @new)
    {
        await OpenSettingsAsync(page, "/settings/security", "password-current");
        await page.GetByTestId("password-current").FillAsync(current);
        await page.GetByTestId("password-new").FillAsync(@new);
        await page.GetByTestId("password-confirm").FillAsync(@new);
        await page.GetByTestId("password-submit").ClickAsync();
        await page.GetByText("Password changed. Your other devices were signed out.").WaitForAsync();
    }

    /// <summary>The repository's root: the folder holding RustDesk.Blazor.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RustDesk.Blazor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("RustDesk.Blazor.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Answers the re-verification modal with a 2FA code, backup code or password.</summary>
    public static async Task ReVerifyAsync(IPage page, string secret)
    {
        var input = page.Locator("input[data-testid='reverify-code'], [data-testid='reverify-code'] input").First;
        await input.WaitForAsync();
        await input.FillAsync(secret);
        await page.GetByTestId("reverify-submit").ClickAsync();
        await page.GetByTestId("reverify-dialog").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }
}
