using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SmokeBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task SignIn_AsBootstrapAdmin_ShowsSettingsWithUserName()
    {
        using (var http = new HttpClient()) { Console.WriteLine("HTTP " + (await http.GetAsync(BaseUrl + "/account/login")).StatusCode); }
        Page.Response += (_, r) => Console.WriteLine("RESP " + r.Url + " " + r.Status + " " + string.Join(";", r.Headers.Select(h => h.Key + "=" + h.Value)));
        Page.RequestFailed += (_, r) => Console.WriteLine("REQFAIL " + r.Url + " " + r.Failure);
        try { await Page.GotoAsync(BaseUrl + "/healthz"); Console.WriteLine("GOTO OK " + await Page.ContentAsync()); } catch (Exception e) { Console.WriteLine("GOTO " + e.Message); }
        try { await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword); } finally { Console.WriteLine("LOGS " + string.Join("\n", App.Logs.Lines.Where(l => l.StartsWith("Error") || l.StartsWith("Warn")))); }

        await WaitForSettingsAsync(Page);
        Assert.Equal("admin", (await Page.GetByTestId("settings-username").InnerTextAsync()).Trim());
        await Page.ScreenshotAsync(new() { Path = "/tmp/settings-smoke.png" });
        var emailInput = Input(Page, "settings-email");
        Assert.Equal(1, await emailInput.CountAsync());
        var html = await Page.Locator("[data-testid='settings-email']").First.EvaluateAsync<string>("e => e.tagName");
        Console.WriteLine("settings-email tag: " + html);
    }
}
