using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>The second sign-in steps over HTTP: forged pending cookies and bad codes never get a 500 or a session.</summary>
public sealed class SecondStepHttpTests : ConsoleHttpTest
{

    private async Task EnableAdminTotpAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin");
        await TestSessions.EnableTotpAsync(App.Services, admin!.Id, secret => Task.FromResult(
            TotpAlgorithm.Default.Compute(Base32Encoding.ToBytes(secret), TotpAlgorithm.Default.StepAt(DateTimeOffset.UtcNow))));
    }

    [Theory]
    [InlineData("/account/login/2fa", "verify-error")]
    [InlineData("/account/login/email", "email-code-error")]
    public async Task Get_WithForgedPendingCookie_SaysExpiredWithout500(string path, string errorId)
    {
        var client = CookielessClient();

        var response = await client.SendAsync(ConsoleHttp.WithCookie(HttpMethod.Get, path, "rd.pending=forged-" + new string('A', 40)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(ConsoleHttp.TextOf(body, errorId)));
        ConsoleHttp.AssertNoStackTrace(body);
    }

    [Fact]
    public async Task PasswordStep_With2fa_SetsAStrictPendingCookieAndNoSession()
    {
        await EnableAdminTotpAsync();
        var client = Browser();

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login/2fa", response.RedirectTarget(client).PathAndQuery);
        var pending = response.SetCookie("rd.pending");
        Assert.NotNull(pending);
        Assert.Contains("httponly", pending, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", pending, StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
    }

    [Theory]
    [InlineData("abcdef")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("١٢٣٤٥٦")]
    [InlineData("")]
    public async Task TotpStep_MalformedCode_ShowsAMessageAndSignsNothingIn(string code)
    {
        var (response, body) = await PostTotpCodeAsync(code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
        ConsoleHttp.AssertNoStackTrace(body);
        Assert.False(string.IsNullOrEmpty(ConsoleHttp.TextOf(body, "verify-error")));
    }

    [Fact]
    public async Task TotpStep_ControlCharacterInCode_IsABadRequestThatSignsNothingIn()
    {
        var (response, body) = await PostTotpCodeAsync("12345\u0000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
        ConsoleHttp.AssertNoStackTrace(body);
    }

    /// <summary>The password step with TOTP on, then <paramref name="code"/> posted to the 2FA step.</summary>
    private async Task<(HttpResponseMessage Response, string Body)> PostTotpCodeAsync(string code)
    {
        await EnableAdminTotpAsync();
        var client = Browser();
        await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);
        var token = await client.GetAntiforgeryTokenAsync("/account/login/2fa");
        var response = await client.PostAsync("/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa",
            [ConsoleHttp.TokenField] = token,
            ["Input.Code"] = code,
        }));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TotpStep_TenThousandCharacterCode_IsRefusedWithoutCountingTowardLockout()
    {
        await EnableAdminTotpAsync();
        var client = Browser();
        await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);
        var token = await client.GetAntiforgeryTokenAsync("/account/login/2fa");

        var response = await client.PostAsync("/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa",
            [ConsoleHttp.TokenField] = token,
            ["Input.Code"] = new string('1', 10_000),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(ConsoleHttp.TextOf(await response.Content.ReadAsStringAsync(), "verify-error")));
        await using var scope = App.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin");
        Assert.Equal(0, admin!.AccessFailedCount);
    }
}
