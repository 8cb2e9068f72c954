using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>Passwordless sign-in over HTTP, as the sign-in page's script does it: options, then the form post.</summary>
public sealed class PasskeyHttpTests : ConsoleHttpTest
{
    private readonly SoftwareAuthenticator _authenticator = new();

    protected override Task CleanUpAsync()
    {
        _authenticator.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Registers the software authenticator for admin through Core, as the Security tab would.</summary>
    private async Task RegisterAdminAsync()
    {
        ConsoleUser admin;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            admin = (await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("admin"))!;
        }
        var session = await TestSessions.StoreSessionAsync(App.Services, admin);
        await TestSessions.GrantAsync(App.Services, session.SessionId);
        await using var registration = App.Services.CreateAsyncScope();
        var passkeys = registration.ServiceProvider.GetRequiredService<PasskeyService>();
        var begin = await passkeys.BeginRegistrationAsync(admin.Id, session.SessionId);
        var done = await passkeys.FinishRegistrationAsync(admin.Id, session.SessionId, "Key", _authenticator.Create(begin.OptionsJson!));
        Assert.Equal(PasskeyChangeStatus.Done, done.Status);
    }

    private static async Task<HttpResponseMessage> PostAssertionAsync(HttpClient client, string token, string assertion) =>
        await client.PostLoginAsync("/account/login", new Dictionary<string, string>
        {
            ["_handler"] = "login-passkey",
            ["Passkey.Assertion"] = assertion,
            [ConsoleHttp.TokenField] = token,
        });

    [Fact]
    public async Task PostPasskeyOptions_IssuesChallengeBoundToAnHttpOnlyHandleCookie()
    {
        using var client = Browser();

        var response = await client.PostAsync("/account/login/passkey-options", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"challenge\"", json);
        var cookie = response.SetCookie("rd.passkey");
        Assert.NotNull(cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PostPasskeyOptions_PasswordlessOff_Returns404()
    {
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string?> { ["Passkeys:AllowPasswordless"] = "false" });
        using var client = app.NewClient();

        var response = await client.PostAsync("/account/login/passkey-options", null);
        var page = await client.GetStringAsync("/account/login");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(ConsoleHttp.TextOf(page, "login-passkey"));
    }

    [Fact]
    public async Task PostLogin_PasswordlessAssertion_SignsInWithSessionCookie()
    {
        await RegisterAdminAsync();
        using var client = Browser();
        var token = await client.GetAntiforgeryTokenAsync();
        var options = await (await client.PostAsync("/account/login/passkey-options", null)).Content.ReadAsStringAsync();

        var response = await PostAssertionAsync(client, token, _authenticator.Get(options));

        Assert.Equal("/", response.RedirectTarget(client).AbsolutePath);
        Assert.NotNull(response.SetCookie(ConsoleHttp.SessionCookie));
    }

    [Fact]
    public async Task PostLogin_ForgedOrReplayedAssertion_IsRefusedWithoutSession()
    {
        await RegisterAdminAsync();
        using var client = Browser();
        var token = await client.GetAntiforgeryTokenAsync();
        var options = await (await client.PostAsync("/account/login/passkey-options", null)).Content.ReadAsStringAsync();
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forged = await PostAssertionAsync(client, token, _authenticator.Get(options, signWith: forger));

        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.NotNull(await ConsoleHttp.TextOfAsync(forged, "login-error"));
        Assert.Null(forged.SetCookie(ConsoleHttp.SessionCookie));
        // The challenge was spent by the refusal: the right answer to it is refused too.
        var replay = await PostAssertionAsync(client, token, _authenticator.Get(options));
        Assert.NotNull(await ConsoleHttp.TextOfAsync(replay, "login-error"));
        Assert.Null(replay.SetCookie(ConsoleHttp.SessionCookie));
    }
}
