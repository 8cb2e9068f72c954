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
        // Each answer with the route cookie its request really carried (read from the request's headers, not from the
        // moment the event arrived: Playwright may deliver an answer to a request of the first phase after the pin moved).
        var answers = new List<Task<(string? Route, string Upstream)>>();
        page.Response += (_, r) =>
        {
            if (r.Headers.TryGetValue(NginxProxy.UpstreamHeader.ToLowerInvariant(), out var upstream))
            {
                lock (answers) { answers.Add(RouteOfAsync(r.Request, upstream)); }
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

        // The same browser moved to B: no new sign-in, a new circuit there.
        await PinAsync(context, consoles.RouteToB);
        var reload = await page.ReloadAsync();
        Assert.Equal(consoles.UpstreamB, reload!.Headers[NginxProxy.UpstreamHeader.ToLowerInvariant()]);
        await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await DevicesTab(page).ClickAsync();
        await page.GetByTestId("device-row").First.WaitForAsync();
        Assert.Contains("/settings", page.Url);

        Task<(string? Route, string Upstream)>[] all;
        lock (answers) { all = [.. answers]; }
        var seen = await Task.WhenAll(all);
        Assert.Contains(seen, a => a.Route == consoles.RouteToA);
        Assert.Contains(seen, a => a.Route == consoles.RouteToB);
        var consoleOf = new Dictionary<string, string> { [consoles.RouteToA] = consoles.UpstreamA, [consoles.RouteToB] = consoles.UpstreamB };
        Assert.All(seen, a => Assert.Equal(consoleOf.GetValueOrDefault(a.Route ?? "", "(a request without a route cookie)"), a.Upstream));
    }

    /// <summary>The <c>rd_route</c> value in the request's Cookie header (null when it carried none) and the console that answered.</summary>
    private static async Task<(string? Route, string Upstream)> RouteOfAsync(IRequest request, string upstream)
    {
        var headers = await request.AllHeadersAsync();
        var route = headers.TryGetValue("cookie", out var cookie)
            ? cookie.Split(';').Select(c => c.Trim()).FirstOrDefault(c => c.StartsWith(NginxProxy.RouteCookie + "=", StringComparison.Ordinal))?[(NginxProxy.RouteCookie.Length + 1)..]
            : null;
        return (route, upstream);
    }

    /// <summary>The third tab; switching tabs and listing devices both need the circuit.</summary>
    private static ILocator DevicesTab(IPage page) => page.Locator(".mud-tab").Nth(2);

    private Task PinAsync(IBrowserContext context, string route) =>
        context.AddCookiesAsync([new Cookie { Name = NginxProxy.RouteCookie, Value = route, Url = consoles.Nginx.Address }]);
}
