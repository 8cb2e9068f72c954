using System.Net;
using AngleSharp.Html.Parser;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>The language switch (/culture/set and the rd.culture cookie) and the browser's Accept-Language.</summary>
public sealed class CultureHttpTests(SharedConsoleApp fixture) : IClassFixture<SharedConsoleApp>
{
    [Fact]
    public async Task SetCulture_Supported_SetsCookieAndRedirectsToLocalReturnUrl()
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync("/culture/set?culture=de&returnUrl=%2Fsettings");

        var target = response.RedirectTarget(client);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        Assert.Equal("/settings", target.AbsolutePath);
        Assert.Equal("c=de|uic=de", Uri.UnescapeDataString(response.SetCookieValue(CultureCookie) ?? ""));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/settings")]
    [InlineData("/\\evil.example")]
    public async Task SetCulture_OffSiteReturnUrl_RedirectsHome(string returnUrl)
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync("/culture/set?culture=de&returnUrl=" + Uri.EscapeDataString(returnUrl));

        var target = response.RedirectTarget(client);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        Assert.Equal("/", target.AbsolutePath);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData("de-DE-x-evil")]
    [InlineData("c=de|uic=de")]
    public async Task SetCulture_Unsupported_Returns400WithoutCookie(string culture)
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync("/culture/set?culture=" + Uri.EscapeDataString(culture) + "&returnUrl=%2Fsettings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.SetCookie(CultureCookie));
    }

    [Fact]
    public async Task GetLogin_AcceptLanguageGerman_ShowsGermanLabels()
    {
        using var client = fixture.App.NewClient(cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("Accept-Language", "de");

        var labels = await LabelsAsync(client, request);

        Assert.Equal(["Benutzername", "Passwort"], labels);
    }

    [Fact]
    public async Task GetLogin_NoLanguagePreference_ShowsEnglishLabels()
    {
        using var client = fixture.App.NewClient(cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");

        Assert.Equal(["User Name", "Password"], await LabelsAsync(client, request));
    }

    [Fact]
    public async Task GetLogin_CultureCookieEnglishWithAcceptLanguageGerman_CookieWins()
    {
        using var client = fixture.App.NewClient(cookies: false);
        using var request = WithCookie(HttpMethod.Get, "/account/login", CultureCookie + "=" + Uri.EscapeDataString("c=en|uic=en"));
        request.Headers.Add("Accept-Language", "de-DE,de;q=0.9");

        Assert.Equal(["User Name", "Password"], await LabelsAsync(client, request));
    }

    [Fact]
    public async Task GetLogin_CookieFromCultureSwitch_ShowsGermanOverEnglishBrowser()
    {
        // Arrange: the cookie exactly as /culture/set writes it.
        using var switcher = fixture.App.NewClient();
        var cookie = (await switcher.GetAsync("/culture/set?culture=de&returnUrl=%2F")).SetCookieValue(CultureCookie);
        Assert.NotNull(cookie);
        using var client = fixture.App.NewClient(cookies: false);
        using var request = WithCookie(HttpMethod.Get, "/account/login", CultureCookie + "=" + cookie);
        request.Headers.Add("Accept-Language", "en-US,en;q=0.9");

        // Act
        var labels = await LabelsAsync(client, request);

        // Assert
        Assert.Equal(["Benutzername", "Passwort"], labels);
    }

    private static async Task<string[]> LabelsAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return document.QuerySelectorAll(".rd-label").Select(l => l.TextContent.Trim()).ToArray();
    }
}
