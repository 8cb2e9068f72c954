using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// Behind a TLS-terminating proxy: the client's address and scheme are taken from X-Forwarded-For/-Proto only when the
/// request comes from a configured proxy; under HTTPS every cookie is Secure and __Host- prefixed, and HSTS is sent.
/// </summary>
public sealed class ReverseProxyHttpTests : ConsoleHttpTest
{
    private const string Proxy = "10.0.0.5";
    private const string ProxyNetwork = "10.1.0.0/16";
    private const string Stranger = "192.0.2.50";
    private const string ProxyUserPassword = "Tall-Cactus-Mirror-2026";

    protected override ConsoleAppFactory CreateApp() => new(settings: new Dictionary<string, string?>
    {
        ["ReverseProxy:KnownProxies"] = Proxy,
        ["ReverseProxy:KnownNetworks:0"] = ProxyNetwork,
    });

    [Theory]
    [InlineData(Proxy, "198.51.100.7", "198.51.100.7")]
    [InlineData("10.1.2.3", "198.51.100.7", "198.51.100.7")] // a proxy in the configured network
    [InlineData(Proxy, "203.0.113.9, 10.1.0.7", "203.0.113.9")] // two configured proxies in a row
    [InlineData(Proxy, "198.51.100.66, 203.0.113.9", "203.0.113.9")] // the client's own entry is not believed
    [InlineData(Stranger, "198.51.100.7", Stranger)] // not a proxy: its header is ignored
    public async Task SignIn_ForwardedFor_RecordsTheAddressOfTheFirstUntrustedHop(string peer, string forwardedFor, string expected)
    {
        using var client = Browser();
        client.DefaultRequestHeaders.Add(ConsoleAppFactory.PeerAddressHeader, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);

        await client.SignInAsync("admin", "a wrong password");
        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        Assert.Equal(expected, await db.Sessions.Select(s => s.IpAddress).SingleAsync());
        var failure = await db.AuditEvents.Where(e => e.Kind == RustDesk.Core.Audit.AuditKinds.SignInFailed).SingleAsync();
        Assert.Equal(expected, failure.IpAddress);
    }

    [Fact]
    public async Task SignIn_NoProxyConfigured_IgnoresForwardedForEvenFromLoopback()
    {
        // ASP.NET Core's own default would trust loopback; the console trusts no one until told.
        await using var app = new ConsoleAppFactory();
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Add(ConsoleAppFactory.PeerAddressHeader, "127.0.0.1");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(response.SetCookie(SessionCookie)); // not __Host-: the request was not taken for HTTPS
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal("127.0.0.1", await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Sessions.Select(s => s.IpAddress).SingleAsync());
    }

    [Fact]
    public async Task SignInWithTwoSteps_ForwardedHttpsFromTheProxy_EveryCookieIsSecureHostPrefixedAndHstsIsSent()
    {
        // Arrange: a user with 2FA, so that the pending sign-in cookie is set too; and a language chosen.
        var backupCode = await CreateUserWithTotpAsync("tina");
        var (client, jar) = Browser(Proxy, https: true);

        // Act: the whole sign-in, as a browser behind the TLS proxy.
        await jar.SendAsync(client, jar.Request(HttpMethod.Get, "/culture/set?culture=de&returnUrl=%2F"), DateTimeOffset.UtcNow);
        var form = await jar.SendAsync(client, jar.Request(HttpMethod.Get, "/account/login"), DateTimeOffset.UtcNow);
        var password = await jar.SendAsync(client, jar.Request(HttpMethod.Post, "/account/login",
            new FormUrlEncodedContent(LoginFields("tina", ProxyUserPassword, "true", TokenIn(await form.Content.ReadAsStringAsync())))), DateTimeOffset.UtcNow);
        Assert.StartsWith("/account/login/2fa", password.RedirectTarget(client).PathAndQuery);
        var second = await jar.SendAsync(client, jar.Request(HttpMethod.Get, "/account/login/2fa"), DateTimeOffset.UtcNow);
        var signedIn = await jar.SendAsync(client, jar.Request(HttpMethod.Post, "/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa",
            ["Input.Code"] = backupCode,
            ["Input.RememberMe"] = "true",
            [TokenField] = TokenIn(await second.Content.ReadAsStringAsync())!,
        })), DateTimeOffset.UtcNow);
        var settings = await jar.SendAsync(client, jar.Request(HttpMethod.Get, "/settings"), DateTimeOffset.UtcNow);

        // Assert: signed in through the prefixed cookies, every cookie was __Host- with Secure and Path=/, and HSTS.
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var names = jar.Received.Select(c => c.Name.ToString()).Distinct().ToList();
        Assert.Contains("__Host-rd.session", names);
        Assert.Contains("__Host-rd.pending", names);
        Assert.Contains("__Host-rd.antiforgery", names);
        Assert.Contains("__Host-rd.culture", names);
        Assert.All(jar.Received, c =>
        {
            Assert.StartsWith("__Host-", c.Name.ToString(), StringComparison.Ordinal);
            Assert.True(c.Secure, c.Name + " is not Secure");
            Assert.Equal("/", c.Path.ToString());
            Assert.True(c.Domain.Length == 0, c.Name + " has a Domain");
        });
        Assert.True(settings.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", settings.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ForwardedHttpsFromAnAddressThatIsNoProxy_IsPlainHttpWithoutHsts()
    {
        var (client, jar) = Browser(Stranger, https: true);

        var form = await jar.SendAsync(client, jar.Request(HttpMethod.Get, "/account/login"), DateTimeOffset.UtcNow);
        var response = await jar.SendAsync(client, jar.Request(HttpMethod.Post, "/account/login",
            new FormUrlEncodedContent(LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", TokenIn(await form.Content.ReadAsStringAsync())))),
            DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(jar.Received, c => c.Name == SessionCookie);
        Assert.DoesNotContain(jar.Received, c => c.Name.StartsWith("__Host-", StringComparison.Ordinal) || c.Secure);
        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task GetSettings_OverHttps_ReadsOnlyTheHostPrefixedSessionCookie()
    {
        // A valid session key, planted without the prefix (as a sibling subdomain or a plain-HTTP page could), is not read.
        using var plain = Browser();
        var key = await plain.SignInAdminAsync();
        var (client, _) = Browser(Proxy, https: true);

        var planted = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"{SessionCookie}={key}"));
        var prefixed = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"__Host-{SessionCookie}={key}"));

        Assert.Equal("/account/login", planted.RedirectTarget(client).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, prefixed.StatusCode);
    }

    [Fact]
    public async Task GetSettings_OverPlainHttp_DoesNotReadAHostPrefixedCookie()
    {
        using var plain = Browser();
        var key = await plain.SignInAdminAsync();
        using var client = CookielessClient();

        var response = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"__Host-{SessionCookie}={key}"));

        Assert.Equal("/account/login", response.RedirectTarget(client).AbsolutePath);
    }

    [Theory]
    [InlineData(true, "__Host-rd.theme")]
    [InlineData(false, "rd.theme")]
    public async Task GetLogin_ThemeCookie_NamedForTheScriptAndReadBackUnderThatName(bool https, string name)
    {
        var (client, _) = Browser(Proxy, https);

        var response = await client.SendAsync(WithCookie(HttpMethod.Get, "/account/login", name + "=dark"));

        var body = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).Body!;
        Assert.Equal(name, body.GetAttribute("data-theme-cookie"));
        Assert.Equal("rd-dark", body.GetAttribute("class"));
    }

    [Fact]
    public async Task SignIn_OverAnotherUsersValidSession_GetsANewSessionOfItsOwn()
    {
        // Session fixation: a browser already holds a valid session (here Mallory's, planted by her); signing in there
        // must not hand the new user's ticket to the key Mallory knows.
        await CreateUserAsync("mallory");
        using var browser = Browser();
        var mallorysCookie = (await browser.SignInAsync("mallory", ProxyUserPassword)).SetCookieValue(SessionCookie);
        Assert.NotNull(mallorysCookie);

        var response = await browser.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        var adminsCookie = response.SetCookieValue(SessionCookie);
        Assert.True(adminsCookie is not null, $"{(int)response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}");
        Assert.NotEqual(mallorysCookie, adminsCookie);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var owners = await db.Sessions.Join(db.Users, s => s.UserId, u => u.Id, (s, u) => u.UserName).OrderBy(n => n).ToListAsync();
        Assert.Equal(["admin", "mallory"], owners);
    }

    /// <summary>A client at <paramref name="peer"/> that says, as a TLS proxy would, whether the browser used HTTPS.</summary>
    private (HttpClient Client, CookieJar Jar) Browser(string peer, bool https)
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://console.example/"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
        client.DefaultRequestHeaders.Add(ConsoleAppFactory.PeerAddressHeader, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", https ? "https" : "http");
        return (client, new CookieJar());
    }

    private Task<ConsoleUser> CreateUserAsync(string userName) => CreateUserAsync(userName, password: ProxyUserPassword);

    /// <summary>Creates the user with 2FA on and returns one of its backup codes.</summary>
    private async Task<string> CreateUserWithTotpAsync(string userName)
    {
        var user = await CreateUserAsync(userName);
        var (_, codes) = await TestSessions.EnableTotpAsync(App.Services, user.Id, base32 => Task.FromResult(
            TotpAlgorithm.Default.Compute(Base32Encoding.ToBytes(base32), TotpAlgorithm.Default.StepAt(DateTimeOffset.UtcNow))));
        return codes[0];
    }
}
