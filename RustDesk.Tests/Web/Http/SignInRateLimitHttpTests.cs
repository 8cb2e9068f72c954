using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.RateLimiting;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Hosting;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// The per-address limit on the sign-in pages and code endpoints, and the busy refusal of the password-hashing gate:
/// what a flood from one address, a client behind the same proxy and a spoofed X-Forwarded-For each get.
/// </summary>
public sealed class SignInRateLimitHttpTests : ConsoleHttpTest
{
    private const int Limit = 3;
    private const string Proxy = "10.0.0.5";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SignInPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:SignInBurst"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ReverseProxy:KnownProxies"] = Proxy,
    };

    [Theory]
    [InlineData("en", "Too many attempts")]
    [InlineData("de", "Zu viele Versuche")]
    public async Task PostLogin_OneMoreThanTheLimitFromOneAddress_Returns429PageInTheUsersLanguage(string language, string title)
    {
        // Arrange: a browser at one address, with the form's token.
        using var client = ClientAt("192.0.2.10", language: language);
        var token = await client.GetAntiforgeryTokenAsync();

        // Act
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= Limit; i++)
        {
            answers.Add(await client.PostLoginAsync("/account/login", LoginFields("admin", "", "false", token)));
        }

        // Assert: the first Limit posts reach the form, the next is refused with a wait and a page in the user's language.
        Assert.All(answers.Take(Limit), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.TryParse(refused.Headers.GetValues("Retry-After").Single(), out var seconds) && seconds >= 1);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(title, TextOf(body, "status-title"));
        Assert.Null(TextOf(body, "login-username"));
        Assert.Null(refused.SetCookie(SessionCookie));
        AssertNoStackTrace(body);
    }

    [Fact]
    public async Task PostLogin_OverTheLimit_RefusesEvenTheRightPassword()
    {
        using var client = ClientAt("192.0.2.11");
        await ExhaustAsync(client);

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.SetCookie(SessionCookie));
    }

    [Fact]
    public async Task PostLogin_OneClientBehindTheProxyOverTheLimit_AnotherClientBehindItSignsIn()
    {
        // Arrange: both come through the configured proxy, which names each client in X-Forwarded-For.
        using var flood = ClientAt(Proxy, forwardedFor: "198.51.100.1");
        await ExhaustAsync(flood);
        using var other = ClientAt(Proxy, forwardedFor: "198.51.100.2");

        // Act
        var response = await other.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(response.SetCookie(SessionCookie));
        var token = await flood.GetAntiforgeryTokenAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await flood.PostLoginAsync("/account/login", LoginFields("admin", "", "false", token))).StatusCode);
    }

    [Fact]
    public async Task PostLogin_SpoofedForwardedForFromAnAddressThatIsNoProxy_StaysInItsOwnLimit()
    {
        // An attacker who names a new client in every request, but does not come through the proxy.
        using var client = ClientAt("192.0.2.12");
        var token = await client.GetAntiforgeryTokenAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= Limit; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(LoginFields("admin", "", "false", token)),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task GetLogin_ManyMoreThanTheLimit_IsNeverLimitedAndSpendsNothing()
    {
        using var client = ClientAt("192.0.2.13");

        for (var i = 0; i < 3 * Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        }
        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static TheoryData<string> PagePaths() =>
        [.. SignInEndpoints.All.Where(e => e.Answer == SignInEndpoints.Answer.Page).Select(e => e.Path)];

    [Theory]
    [MemberData(nameof(PagePaths))]
    public async Task Post_EverySignInPage_IsLimited(string path)
    {
        using var client = ClientAt("192.0.2.14");
        await client.GetAsync("/account/login"); // an antiforgery cookie, as a browser has

        HttpResponseMessage last = default!;
        for (var i = 0; i <= Limit; i++)
        {
            last = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "b" }));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        AssertNoStackTrace(await last.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_PathsThatCheckNoSecret_AreNotLimited()
    {
        using var client = ClientAt("192.0.2.15");
        await client.GetAsync("/account/login");

        for (var i = 0; i <= 2 * Limit; i++)
        {
            var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("en", "Too many attempts. Try again in ")]
    [InlineData("de", "Zu viele Versuche. Versuchen Sie es in ")]
    public async Task PostApiLogin_OverTheLimit_AnswersShortJsonInTheClientsLanguage(string language, string start)
    {
        using var client = ClientAt("192.0.2.16", language: language);

        HttpResponseMessage last = default!;
        for (var i = 0; i <= Limit; i++)
        {
            last = await client.PostAsJsonAsync("/api/login", new { username = "admin", password = "wrong" });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal("application/json", last.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(last.Headers.GetValues("Retry-After"));
        using var json = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        Assert.StartsWith(start, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "The console is busy")]
    [InlineData("de", "Die Konsole ist ausgelastet")]
    public async Task PostLogin_EveryHashingSlotTaken_Returns503PageAndChangesNothing(string language, string title)
    {
        // Arrange: one slot, no queue, and the slot held by another hash.
        await using var app = new ConsoleAppFactory(settings: new Dictionary<string, string?>
        {
            ["RateLimits:PasswordHashConcurrency"] = "1",
            ["RateLimits:PasswordHashQueue"] = "0",
        });
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        var token = await client.GetAntiforgeryTokenAsync();
        using var holder = GateSlot.Hold(app.Services.GetRequiredService<PasswordHashGate>());

        // Act
        var refused = await client.PostLoginAsync("/account/login", LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", token));

        // Assert: a clean refusal with a wait, nothing signed in or counted; once the slot is free the same post works.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(title, TextOf(body, "status-title"));
        AssertNoStackTrace(body);
        Assert.Null(refused.SetCookie(SessionCookie));
        holder.Dispose();
        var accepted = await client.PostLoginAsync("/account/login", LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", token));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    private HttpClient ClientAt(string peer, string? forwardedFor = null, string? language = null)
    {
        var client = Browser();
        client.DefaultRequestHeaders.Add(ConsoleAppFactory.PeerAddressHeader, peer);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        if (language is not null)
        {
            client.DefaultRequestHeaders.Add("Accept-Language", language);
        }
        return client;
    }

    private static async Task ExhaustAsync(HttpClient client)
    {
        var token = await client.GetAntiforgeryTokenAsync();
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostLoginAsync("/account/login", LoginFields("admin", "", "false", token))).StatusCode);
        }
    }
}
