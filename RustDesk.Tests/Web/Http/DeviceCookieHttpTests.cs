using System.Net;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>The device cookie over HTTP: what a completed sign-in sets, and that it keeps the owner's browser usable under a flood.</summary>
public sealed class DeviceCookieHttpTests : ConsoleHttpTest
{
    private const string DeviceCookie = "rd.device";

    protected override ConsoleAppFactory CreateApp() => new(settings: new Dictionary<string, string?>
    {
        ["Accounts:LockoutFailures"] = "3",
        ["Accounts:DeviceLockoutFailures"] = "3",
        // The first lockout is already the one that lasts until unlocked.
        ["Accounts:MaxConsecutiveFailures"] = "3",
    });

    private async Task FloodAsync(HttpClient client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await client.SignInAsync("admin", "wrong password " + i);
        }
    }

    [Fact]
    public async Task SignIn_Completed_SetsAPersistentStrictHttpOnlyDeviceCookieForTheWholeSite()
    {
        var client = Browser();

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        var cookie = response.SetCookie(DeviceCookie);
        Assert.NotNull(cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", cookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_WrongPassword_SetsNoDeviceCookie()
    {
        var response = await Browser().SignInAsync("admin", "wrong password");

        Assert.Null(response.SetCookie(DeviceCookie));
    }

    [Fact]
    public async Task Flood_FromElsewhereUntilLockedUntilUnlocked_DoesNotLockTheOwnersBrowserOut()
    {
        // Arrange: the owner signed in once in this browser; an attacker elsewhere guesses until the account locks for good.
        var owner = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync("admin", ConsoleAppFactory.AdminPassword)).StatusCode);
        var attacker = Browser();
        await FloodAsync(attacker, 3);
        var stillLocked = await attacker.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        // Act
        var ownerAgain = await owner.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        // Assert
        Assert.Equal(HttpStatusCode.OK, stillLocked.StatusCode);
        Assert.StartsWith("Too many failed attempts", await ConsoleHttp.TextOfAsync(stillLocked, "login-error"));
        Assert.Equal(HttpStatusCode.Redirect, ownerAgain.StatusCode);
        Assert.NotNull(ownerAgain.SetCookie(ConsoleHttp.SessionCookie));
    }

    [Fact]
    public async Task Flood_WithACopiedButAlteredDeviceCookie_CountsAsAnUnknownClient()
    {
        var owner = Browser();
        var signedIn = await owner.SignInAsync("admin", ConsoleAppFactory.AdminPassword);
        var value = signedIn.SetCookieValue(DeviceCookie)!;
        var forged = value[..^2] + (value[^2] == 'x' ? "y" : "x") + value[^1];
        var attacker = CookielessClient();

        for (var i = 0; i < 3; i++)
        {
            await PostLoginWithCookieAsync(attacker, DeviceCookie + "=" + forged, "wrong password " + i);
        }

        var unknown = await Browser().SignInAsync("admin", ConsoleAppFactory.AdminPassword);
        Assert.StartsWith("Too many failed attempts", await ConsoleHttp.TextOfAsync(unknown, "login-error"));
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync("admin", ConsoleAppFactory.AdminPassword)).StatusCode);
    }

    /// <summary>A browser without a cookie jar: the cookies the sign-in page sets (antiforgery) and <paramref name="cookie"/>, by hand.</summary>
    private static async Task PostLoginWithCookieAsync(HttpClient client, string cookie, string password)
    {
        var page = await client.GetAsync("/account/login");
        var pageCookies = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]);
        var token = ConsoleHttp.TokenIn(await page.Content.ReadAsStringAsync());
        var request = ConsoleHttp.WithCookie(HttpMethod.Post, "/account/login", string.Join("; ", pageCookies.Append(cookie)));
        request.Content = new FormUrlEncodedContent(ConsoleHttp.LoginFields("admin", password, "false", token));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await ConsoleHttp.TextOfAsync(response, "login-error")));
    }
}
