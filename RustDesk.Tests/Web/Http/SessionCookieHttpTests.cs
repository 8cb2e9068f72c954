using System.Net;
using System.Security.Cryptography;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>What the rd.session cookie opens, and how /account/logout ends it.</summary>
public sealed class SessionCookieHttpTests : ConsoleHttpTest
{

    public static TheoryData<string> ForgedCookies() =>
    [
        "garbage",
        "",
        "%00%01%02",
        new string('A', 4000),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)),
        "CfDJ8" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(200)).Replace('+', '-').Replace('/', '_').TrimEnd('='),
        "chunks-999999", // the chunking cookie manager's own format, asking for a million chunk cookies
        "chunks-abc",
    ];

    [Theory]
    [MemberData(nameof(ForgedCookies))]
    public async Task GetSettings_ForgedSessionCookie_RedirectsToLogin(string value)
    {
        using var client = CookielessClient();

        var response = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"{SessionCookie}={value}"));

        Assert.Equal("/account/login", response.RedirectTarget(client).AbsolutePath);
        AssertNoStackTrace(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetSettings_ValidCookieWithOneCharacterChanged_RedirectsToLogin()
    {
        using var signIn = Browser();
        var cookie = await signIn.SignInAdminAsync();
        var middle = cookie.Length / 2;
        var tampered = cookie[..middle] + (cookie[middle] == 'A' ? 'B' : 'A') + cookie[(middle + 1)..];
        using var client = CookielessClient();

        var original = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"{SessionCookie}={cookie}"));
        var response = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"{SessionCookie}={tampered}"));

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("/account/login", response.RedirectTarget(client).AbsolutePath);
    }

    [Fact]
    public async Task GetSettings_NoCookie_RedirectsToLoginWithReturnUrl()
    {
        using var client = Browser();

        var response = await client.GetAsync("/settings");

        var target = response.RedirectTarget(client);
        Assert.Equal("/account/login", target.AbsolutePath);
        Assert.Contains("settings", Uri.UnescapeDataString(target.Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_WithAntiforgeryToken_EndsTheSessionForTheOldCookie()
    {
        // Arrange: signed in, with the token the user menu's sign-out form carries (issued to the signed-in user;
        // the sign-in pages never see the session, so their tokens are an anonymous visitor's).
        using var signIn = Browser();
        var cookie = await signIn.SignInAdminAsync();
        var (cookieToken, requestToken) = await AntiforgeryForSessionAsync(App, cookie);
        using var client = CookielessClient();
        var session = $"{SessionCookie}={cookie}; rd.antiforgery={cookieToken}";

        // Act
        var logoutRequest = WithCookie(HttpMethod.Post, "/account/logout", session);
        logoutRequest.Content = new FormUrlEncodedContent(new Dictionary<string, string> { [TokenField] = requestToken });
        var logout = await client.SendAsync(logoutRequest);

        // Assert: the browser is sent to the sign-in page, and a replay of the old cookie opens nothing.
        Assert.Equal("/account/login", logout.RedirectTarget(client).AbsolutePath);
        var settings = await client.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"{SessionCookie}={cookie}"));
        Assert.Equal("/account/login", settings.RedirectTarget(client).AbsolutePath);
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_Returns400AndSessionStays()
    {
        using var client = Browser();
        await client.SignInAdminAsync();

        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task Logout_WithTokenFromAnotherBrowser_Returns400AndSessionStays()
    {
        // Cross-site logout: the attacker's own token does not match the victim's antiforgery cookie and user.
        using var attacker = Browser();
        var attackersToken = await attacker.GetAntiforgeryTokenAsync();
        using var victim = Browser();
        await victim.SignInAdminAsync();

        var logout = await victim.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { [TokenField] = attackersToken }));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/settings")).StatusCode);
    }
}
