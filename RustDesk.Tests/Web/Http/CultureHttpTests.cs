using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// The language switch (/culture/set and the rd.culture cookie), the browser's Accept-Language, and the language of
/// emails, which no GET writes.
/// </summary>
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

    [Theory]
    [InlineData("en", "This language is not offered. Choose English or German.")]
    [InlineData("de", "Diese Sprache wird nicht angeboten. Wählen Sie Englisch oder Deutsch.")]
    public async Task SetCulture_Unsupported_SaysSoInTheBrowsersLanguage(string language, string expected)
    {
        using var client = fixture.App.NewClient(cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/culture/set?culture=fr&returnUrl=%2Fsettings");
        request.Headers.AcceptLanguage.ParseAdd(language);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetLogin_SignedOut_OffersBothLanguagesComingBackToThisPage()
    {
        using var client = fixture.App.NewClient(cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login?returnUrl=%2Fadmin%2Faudit");
        request.Headers.AcceptLanguage.ParseAdd("de");

        var html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        var back = Uri.EscapeDataString("/account/login?returnUrl=%2Fadmin%2Faudit");
        Assert.Contains($"href=\"/culture/set?culture=en&amp;returnUrl={back}\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/culture/set?culture=de&amp;returnUrl={back}\"", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"language-de\"[^>]*aria-current=\"true\"", html);
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

    [Fact]
    public async Task SetCulture_SignedIn_ChangesNothingInTheDatabase()
    {
        // Arrange: a separate console, a signed-in user, and a snapshot of every table.
        await using var app = new ConsoleAppFactory();
        using var client = app.NewClient();
        await client.SignInAdminAsync();
        var before = await SnapshotAsync(app);

        // Act
        var response = await client.GetAsync("/culture/set?culture=de&returnUrl=%2Fsettings");

        // Assert: the cookie is set, and no row of any table changed.
        Assert.Equal("c=de|uic=de", Uri.UnescapeDataString(response.SetCookieValue(CultureCookie) ?? ""));
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task SignIn_WithCultureCookie_SavesItAsTheLanguageOfEmails()
    {
        await using var app = new ConsoleAppFactory();
        using var client = app.NewClient();
        Assert.NotNull((await client.GetAsync("/culture/set?culture=de&returnUrl=%2F")).SetCookieValue(CultureCookie));

        await client.SignInAdminAsync();

        Assert.Equal("de", await PreferredCultureAsync(app, "admin"));
    }

    [Fact]
    public async Task SignIn_WithoutCultureCookie_KeepsTheSavedLanguage()
    {
        await using var app = new ConsoleAppFactory();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            var admin = await users.FindByNameAsync("admin");
            await scope.ServiceProvider.GetRequiredService<AccountSettingsService>().SetPreferredCultureAsync(admin!.Id, "de");
        }
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Add("Accept-Language", "en");

        await client.SignInAdminAsync();

        Assert.Equal("de", await PreferredCultureAsync(app, "admin"));
    }

    private static async Task<string?> PreferredCultureAsync(ConsoleAppFactory app, string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName))!.PreferredCulture;
    }

    /// <summary>Every row of every table of the console's SQLite file, as text.</summary>
    private static async Task<string> SnapshotAsync(ConsoleAppFactory app)
    {
        var text = new System.Text.StringBuilder();
        await using var connection = new SqliteConnection($"Data Source={app.DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("AspNetUsers", tables);
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.Append(table).Append(':');
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i).ToString()).Append('|');
                }
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    private static async Task<string[]> LabelsAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return document.QuerySelectorAll(".rd-label").Select(l => l.TextContent.Trim()).ToArray();
    }
}
