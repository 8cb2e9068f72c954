using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// Each browser test gets its own console (fresh SQLite file, Kestrel on a free loopback port) and its own
/// browser context, so tests never share state. Elements are found by the CONTRACT.md <c>data-testid</c>s.
/// </summary>
public abstract class BrowserTestBase(BrowserFixture browser) : IAsyncLifetime
{
    protected ConsoleAppFactory App { get; set; } = default!;

    protected string BaseUrl { get; set; } = "";

    protected IBrowserContext Context { get; set; } = default!;

    protected IPage Page { get; set; } = default!;

    protected virtual IDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        App = new ConsoleAppFactory(kestrel: true, settings: Settings);
        BaseUrl = App.ServerAddress;
        (Context, Page) = await NewContextAsync();
    }

    public virtual async Task DisposeAsync()
    {
        // Server-side errors explain most browser-test failures; they go to the test output.
        foreach (var line in App.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)))
        {
            Console.WriteLine("[server] " + line);
        }
        await Context.DisposeAsync();
        await App.DisposeAsync();
    }

    protected async Task<(IBrowserContext, IPage)> NewContextAsync(string locale = "en-US")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        return (context, await context.NewPageAsync());
    }

    protected static ILocator ById(IPage page, string testId) => page.GetByTestId(testId);

    /// <summary>The input inside a MudBlazor field that carries the test id (or the element itself if it is the input).</summary>
    protected static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input").First;

    protected static async Task SignInAsync(IPage page, string userName, string password, bool remember = false)
    {
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-username").FillAsync(userName);
        await page.GetByTestId("login-password").FillAsync(password);
        if (remember)
        {
            await page.GetByTestId("login-remember").CheckAsync();
        }
        await page.GetByTestId("login-submit").ClickAsync();
    }

    /// <summary>Waits until the interactive circuit is up (the settings page's tabs respond only then).</summary>
    protected static async Task WaitForSettingsAsync(IPage page)
    {
        await page.WaitForURLAsync(url => url.Contains("/settings"));
        await page.GetByTestId("settings-submit").WaitForAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>The console marks &lt;body data-interactive="true"&gt; once its circuit is connected.</summary>
    protected static async Task WaitForInteractiveAsync(IPage page)
    {
        await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }
}
