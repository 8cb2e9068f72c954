using System.Net;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>Headers that every response carries, whatever the page or status.</summary>
public sealed class SecurityHeadersHttpTests(SharedConsoleApp fixture) : IClassFixture<SharedConsoleApp>
{
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/settings")] // a redirect to the sign-in page
    [InlineData("/healthz")]
    [InlineData("/no-such-page")]
    [InlineData("/culture/set?culture=xx")] // a 400
    public async Task Get_AnyPage_CarriesSecurityHeaders(string path)
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync(path);

        var csp = Header(response, "Content-Security-Policy");
        Assert.NotNull(csp);
        var directives = csp!.Split(';').Select(d => d.Trim()).ToArray();
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.Contains("object-src 'none'", directives);
        Assert.DoesNotContain(directives, d => d.StartsWith("script-src", StringComparison.Ordinal) && d.Contains("'unsafe-inline'", StringComparison.Ordinal));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task Get_OverPlainHttp_SendsNoHsts()
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Get_OverHttps_SendsHsts()
    {
        // The in-memory server takes the scheme from the client's base address; this shows that the missing header
        // over HTTP is the HTTPS rule at work, not a missing UseHsts.
        using var client = fixture.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://console.example/"),
            AllowAutoRedirect = false,
        });

        var response = await client.GetAsync("/account/login");

        Assert.NotNull(Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task GetLogin_Page_NotServedWithStackTraceOrServerBanner()
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync("/account/login");

        AssertNoStackTrace(await response.Content.ReadAsStringAsync());
        Assert.Null(Header(response, "X-Powered-By"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values) : null;
}
