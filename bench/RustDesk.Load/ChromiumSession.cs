using Microsoft.Playwright;

namespace RustDesk.Load;

/// <summary>
/// Debian's Chromium through Playwright, launched as the browser tests launch it (RustDesk.Tests/Infrastructure/
/// BrowserFixture: same flags, never a downloaded browser), and the server's memory as the kernel reports it.
/// </summary>
public sealed class ChromiumSession : IAsyncDisposable
{
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static async Task<ChromiumSession> StartAsync()
    {
        var session = new ChromiumSession { _playwright = await Playwright.CreateAsync() };
        session.Browser = await session._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = FindChromium(),
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        return session;
    }

    /// <summary>Signs in on the console's form in a new context (its cookies serve every page opened from it).</summary>
    public async Task<IBrowserContext> SignedInContextAsync(LoadOptions options)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = options.Url.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = options.ClientAddress },
        });
        context.SetDefaultTimeout(60_000);
        if (SignInForm.For(options) == SignInForm.Peer)
        {
            return context;
        }
        var page = await context.NewPageAsync();
        await page.GotoAsync("account/login");
        await page.GetByTestId("login-username").FillAsync(options.User);
        await page.GetByTestId("login-password").FillAsync(options.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.CloseAsync();
        return context;
    }

    /// <summary>Waits until Blazor's circuit is connected (the console marks &lt;body data-interactive&gt;; the template has no mark, so its button must answer).</summary>
    public static async Task WaitForCircuitAsync(IPage page, bool peer)
    {
        if (peer)
        {
            // The template's counter: a click changes the count only once the circuit runs.
            for (var i = 0; i < 600; i++)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Click me" }).ClickAsync();
                if (!(await page.Locator("p[role=status]").InnerTextAsync()).EndsWith(": 0", StringComparison.Ordinal))
                {
                    return;
                }
                await Task.Delay(100);
            }
            throw new TimeoutException("the counter never answered");
        }
        await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>VmRSS of a process, in KB.</summary>
    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException("no VmRSS for " + pid);
    }

    /// <summary>
    /// The RSS once it has settled: sampled every second until three samples in a row lie within 1 % (the server's
    /// GC has run and nothing is still being allocated), at most <paramref name="maxSeconds"/>.
    /// </summary>
    public static async Task<long> SettledRssKbAsync(int pid, int maxSeconds = 60)
    {
        var samples = new List<long>();
        for (var i = 0; i < maxSeconds; i++)
        {
            samples.Add(RssKb(pid));
            if (samples.Count >= 3)
            {
                var last = samples[^3..];
                if (last.Max() - last.Min() <= last.Max() / 100)
                {
                    return last[^1];
                }
            }
            await Task.Delay(1000);
        }
        return samples[^1];
    }

    private static string FindChromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException("Chromium is not installed (Debian's chromium package)");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
