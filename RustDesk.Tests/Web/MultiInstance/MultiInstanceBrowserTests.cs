using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.MultiInstance;

/// <summary>The interactive console through nginx: the Blazor circuit's WebSocket passes the proxy and stays on its console.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MultiInstanceBrowserTests(BrowserFixture browser, TwoConsolesBehindNginx consoles) : IClassFixture<TwoConsolesBehindNginx>
{
    [Fact]
    public async Task Console_ThroughNginx_CircuitRunsOnEitherConsoleWithOneSignIn()
    {
        await consoles.CreateUserAsync("multi-browser");
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = consoles.Nginx.Address });
        context.SetDefaultTimeout(20_000);
        await PinAsync(context, consoles.RouteToA);
        var page = await context.NewPageAsync();
        var upstreams = new List<string>();
        page.Response += (_, r) =>
        {
            if (r.Headers.TryGetValue(NginxProxy.UpstreamHeader.ToLowerInvariant(), out var upstream))
            {
                lock (upstreams) { upstreams.Add(upstream); }
            }
        };

        // Sign in and use the interactive Devices tab on A.
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-username").FillAsync("multi-browser");
        await page.GetByTestId("login-password").FillAsync(TwoConsolesBehindNginx.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/settings"));
        await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await DevicesTab(page).ClickAsync();
        await page.GetByTestId("device-row").First.WaitForAsync();
        lock (upstreams) { Assert.All(upstreams, u => Assert.Equal(consoles.UpstreamA, u)); }

        // The same browser moved to B: no new sign-in, a new circuit there.
        await PinAsync(context, consoles.RouteToB);
        lock (upstreams) { upstreams.Clear(); }
        await page.ReloadAsync();
        await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await DevicesTab(page).ClickAsync();

        await page.GetByTestId("device-row").First.WaitForAsync();
        Assert.Contains("/settings", page.Url);
        lock (upstreams) { Assert.NotEmpty(upstreams); Assert.All(upstreams, u => Assert.Equal(consoles.UpstreamB, u)); }
    }

    /// <summary>The third tab; switching tabs and listing devices both need the circuit.</summary>
    private static ILocator DevicesTab(IPage page) => page.Locator(".mud-tab").Nth(2);

    private Task PinAsync(IBrowserContext context, string route) =>
        context.AddCookiesAsync([new Cookie { Name = NginxProxy.RouteCookie, Value = route, Url = consoles.Nginx.Address }]);
}
