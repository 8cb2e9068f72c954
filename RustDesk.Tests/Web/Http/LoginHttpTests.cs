using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>The static sign-in form (/account/login) as a browser, or an attacker with curl, sees it.</summary>
public sealed partial class LoginHttpTests : ConsoleHttpTest
{
    private const string WrongCredentials = "Wrong user name or password.";
    protected override ConsoleAppFactory CreateApp() => new(settings: new Dictionary<string, string?> { ["Accounts:LockoutFailures"] = "3" });

    [Fact]
    public async Task SignIn_RightPassword_RedirectsWithHttpOnlyLaxSessionCookie()
    {
        using var client = Browser();

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.RedirectTarget(client).AbsolutePath);
        var cookie = response.SetCookie(SessionCookie);
        Assert.NotNull(cookie);
        var attributes = Attributes(cookie!);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal) || a.StartsWith("max-age=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetLogin_PasswordField_IsMaskedAndLeftToPasteAndPasswordManagers()
    {
        using var client = Browser();

        var html = await client.GetStringAsync("/account/login");

        // ASVS 6.2.6 and 6.2.7: masked, paste and password managers allowed, no length cut below the rules' 128.
        var field = Regex.Match(html, "<input[^>]*data-testid=\"login-password\"[^>]*>").Value;
        Assert.NotEmpty(field);
        Assert.Contains("type=\"password\"", field);
        Assert.Contains("autocomplete=\"current-password\"", field);
        var maxLength = int.Parse(Regex.Match(field, "maxlength=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maxLength >= PasswordRules.MaxLength, $"maxlength {maxLength} cuts passwords the rules allow");
        Assert.DoesNotMatch("(?i)on(paste|copy|drop)=|autocomplete=\"off\"", html);
    }

    [Fact]
    public async Task SignIn_RememberMe_SetsPersistentCookieWithExpires()
    {
        using var client = Browser();

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword, rememberMe: true);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var attributes = Attributes(response.SetCookie(SessionCookie)!);
        var expires = attributes.SingleOrDefault(a => a.StartsWith("expires=", StringComparison.Ordinal));
        Assert.NotNull(expires);
        var when = DateTimeOffset.Parse(expires!["expires=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(when, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
    }

    [Fact]
    public async Task SignIn_SessionCookie_OpensSettings()
    {
        using var client = Browser();
        await client.SignInAdminAsync();

        var settings = await client.GetAsync("/settings");

        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPasswordAndUnknownUser_ShowIdenticalError()
    {
        using var client = Browser();

        var wrong = await client.SignInAsync("admin", "not the password");
        var unknown = await client.SignInAsync("nobody", "not the password");

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Null(wrong.SetCookie(SessionCookie));
        Assert.Null(unknown.SetCookie(SessionCookie));
        var wrongText = await TextOfAsync(wrong, "login-error");
        Assert.Equal(WrongCredentials, wrongText);
        Assert.Equal(wrongText, await TextOfAsync(unknown, "login-error"));
    }

    [Fact]
    public async Task SignIn_ConfiguredFailuresReached_LocksOutWithMinutesLeftAndRefusesRightPassword()
    {
        using var client = Browser();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(WrongCredentials, await TextOfAsync(await client.SignInAsync("admin", "wrong " + i), "login-error"));
        }

        var third = await client.SignInAsync("admin", "wrong again");
        var right = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        var lockedText = await TextOfAsync(third, "login-error");
        Assert.Equal(15, MinutesIn(lockedText));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Null(right.SetCookie(SessionCookie));
        Assert.InRange(MinutesIn(await TextOfAsync(right, "login-error")), 14, 15);
    }

    [Fact]
    public async Task SignIn_DisabledUser_SaysDisabledOnlyWithRightPassword()
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            var changed = await db.Users.Where(u => u.UserName == "admin")
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Disabled));
            Assert.Equal(1, changed);
        }
        using var client = Browser();

        var right = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);
        var wrong = await client.SignInAsync("admin", "not the password");

        Assert.Equal("This account is disabled. Contact your administrator.", await TextOfAsync(right, "login-error"));
        Assert.Null(right.SetCookie(SessionCookie));
        Assert.Equal(WrongCredentials, await TextOfAsync(wrong, "login-error"));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example/settings")]
    [InlineData("javascript:alert(1)")]
    public async Task SignIn_OffSiteReturnUrl_RedirectsHome(string returnUrl)
    {
        using var client = Browser();

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword, returnUrl: returnUrl);

        var target = response.RedirectTarget(client);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        Assert.Equal("/", target.AbsolutePath);
        Assert.Equal("", target.Query);
    }

    [Fact]
    public async Task SignIn_LocalReturnUrl_RedirectsThere()
    {
        using var client = Browser();

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword, returnUrl: "/settings/security");

        var target = response.RedirectTarget(client);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        Assert.Equal("/settings/security", target.AbsolutePath);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_Returns400WithoutSession()
    {
        using var client = Browser();
        await client.GetAsync("/account/login"); // the antiforgery cookie is there, the form field is not

        var response = await client.PostLoginAsync("/account/login",
            LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", token: null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.SetCookie(SessionCookie));
    }

    [Fact]
    public async Task SignIn_ForgedAntiforgeryToken_Returns400WithoutSession()
    {
        using var client = Browser();
        var real = await client.GetAntiforgeryTokenAsync();
        var forged = "CfDJ8" + new string('A', real.Length - 5);

        var response = await client.PostLoginAsync("/account/login",
            LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", forged));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.SetCookie(SessionCookie));
    }

    [Fact]
    public async Task SignIn_TokenFromAnotherBrowser_Returns400WithoutSession()
    {
        // A token lifted from someone else's page does not match this browser's antiforgery cookie (login CSRF).
        using var attacker = Browser();
        using var victim = Browser();
        var attackersToken = await attacker.GetAntiforgeryTokenAsync();
        await victim.GetAsync("/account/login");

        var response = await victim.PostLoginAsync("/account/login",
            LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", attackersToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.SetCookie(SessionCookie));
    }

    private static string[] Attributes(string setCookie) =>
        setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToArray();

    private static int MinutesIn(string? message)
    {
        Assert.NotNull(message);
        var match = MinutesPattern().Match(message!);
        Assert.True(match.Success, $"no minutes in '{message}'");
        Assert.StartsWith("Too many failed attempts", message, StringComparison.Ordinal);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"in (\d+) minute")]
    private static partial Regex MinutesPattern();
}
