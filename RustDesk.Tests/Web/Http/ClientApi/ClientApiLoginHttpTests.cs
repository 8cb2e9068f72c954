using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.ClientApi;
using RustDesk.Core.Sessions;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;
using static RustDesk.Tests.Web.Http.ClientApi.ClientApiHttp;
using Kind = RustDesk.Tests.Web.Http.ClientApi.RustDeskClientParser.LoginKind;

namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>
/// <c>/api/login</c> as the unmodified RustDesk client uses it: the exact requests it sends, every answer read through
/// <see cref="RustDeskClientParser"/>, and the console's sign-in rules (lockout, TOTP window and replay, backup codes,
/// single-use secrets bound to the client) holding for the API as for the pages.
/// </summary>
public sealed class ClientApiLoginHttpTests : ConsoleHttpTest
{
    private HttpClient _client = default!;
    private ConsoleUser _jane = default!;

    protected override async Task ArrangeAsync()
    {
        _client = CookielessClient();
        _jane = await ClientApiHttp.CreateUserAsync(App.Services, "jane", "jane@example.com");
    }

    private async Task<byte[]> EnableTotpAsync(string userId) => (await SeedTotpAsync(App.Services, userId)).Key;

    private async Task<string> ChallengeAsync(string userName = "jane", string id = ClientId, string uuid = ClientUuid)
    {
        var step1 = await _client.LoginAsync(PasswordStep(userName, Password, id, uuid));
        Assert.Equal(Kind.AuthenticatorDialog, step1.Kind);
        return step1.Secret!;
    }

    [Fact]
    public async Task Login_NoSecondFactor_AnswersTokenAndTheExactUserPayload()
    {
        var (status, body) = await _client.PostAsync("/api/login", PasswordStep("jane", Password));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = RustDeskClientParser.ParseLogin(body);
        Assert.Equal(Kind.Token, answer.Kind);
        Assert.Equal(43, answer.AccessToken!.Length);
        Assert.Equal(
            """{"name":"jane","display_name":"jane Doe","avatar":"","email":"jane@example.com","note":"a note","status":1,"is_admin":false,"verifier":"","info":{"email_verification":false,"email_alarm_notification":false,"login_device_whitelist":[],"other":{}}}""",
            answer.User!.Value.GetRawText());
        using var document = JsonDocument.Parse(body);
        Assert.Equal(["type", "access_token", "user"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("access_token", document.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Login_Token_IsStoredHashedAsAnApiTokenSessionWithTheClientsDevice()
    {
        var token = (await _client.LoginAsync(PasswordStep("jane", Password))).AccessToken!;

        var session = Assert.Single(await SessionsAsync(App.Services, _jane.Id));
        Assert.Equal(SessionKind.ApiToken, session.Kind);
        Assert.NotEqual(token, session.Id);
        Assert.Equal(RustDesk.Core.Security.OpaqueKey.Hash(token), session.Id);
        Assert.True(session.IsPersistent);
        Assert.Equal((ClientId, "windows", "client", "JANE-PC"), (session.ClientId, session.DeviceOs, session.DeviceType, session.DeviceName));
        Assert.Equal("RustDesk client on Windows, id 123456789", session.UserAgent);
    }

    [Fact]
    public async Task Login_Totp_AsksForTheAuthenticatorDialogThenAnswersAToken()
    {
        var key = await EnableTotpAsync(_jane.Id);

        var (_, body) = await _client.PostAsync("/api/login", PasswordStep("jane", Password));
        var step1 = RustDeskClientParser.ParseLogin(body);
        var step2 = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), step1.Secret, totp: true));

        Assert.Equal(Kind.AuthenticatorDialog, step1.Kind);
        using var document = JsonDocument.Parse(body);
        Assert.Equal("email_check", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("tfa_check", document.RootElement.GetProperty("tfa_type").GetString());
        Assert.Equal("""{"name":"jane","email":"j***@example.com"}""", document.RootElement.GetProperty("user").GetRawText());
        Assert.DoesNotContain(step1.Secret!, (await ReloadAsync(App.Services, _jane.Id)).SecurityStamp ?? "");
        Assert.Equal(Kind.Token, step2.Kind);
        Assert.Single(await SessionsAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_ExpiredTwoFactor_StillSignsIn()
    {
        var key = await EnableTotpAsync(_jane.Id);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RustDesk.Core.Data.ConsoleDbContext>();
            var authenticator = db.TotpAuthenticators.Single(a => a.UserId == _jane.Id);
            authenticator.SecretChangedAt = DateTime.UtcNow.AddDays(-400);
            await db.SaveChangesAsync();
        }

        var secret = await ChallengeAsync();
        var step2 = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));

        Assert.Equal(Kind.Token, step2.Kind);
    }

    [Fact]
    public async Task Login_BackupCode_IsAcceptedInVerificationCodeAndConsumed()
    {
        var (_, backup) = await SeedTotpAsync(App.Services, _jane.Id);

        var first = await _client.LoginAsync(CodeStep("jane", backup, await ChallengeAsync(), totp: true));
        var again = await _client.LoginAsync(CodeStep("jane", backup, await ChallengeAsync(), totp: true));

        Assert.Equal(Kind.Token, first.Kind);
        Assert.Equal(ClientApiMessages.WrongCode, again.Error);
    }

    [Theory]
    [InlineData("jane", "wrong-password-123")]
    [InlineData("nobody", Password)]
    public async Task Login_WrongPasswordOrUnknownUser_AnswersWrongCredentials(string userName, string password)
    {
        var (status, body) = await _client.PostAsync("/api/login", PasswordStep(userName, password));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"error":"Wrong credentials"}""", body);
        Assert.Empty(await SessionsAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_DisabledAccount_WrongPasswordSaysWrongCredentials_RightPasswordSaysDisabled()
    {
        await UpdateUserAsync(App.Services, _jane.Id, u => u.Status = UserStatus.Disabled);

        Assert.Equal(ClientApiMessages.WrongCredentials, (await _client.LoginAsync(PasswordStep("jane", "wrong-password-123"))).Error);
        Assert.Equal(ClientApiMessages.Disabled, (await _client.LoginAsync(PasswordStep("jane", Password))).Error);
        Assert.Empty(await SessionsAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_WrongCode_AnswersTheTranslatedErrorAndTheSameSecretMayRetry()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var secret = await ChallengeAsync();

        var (_, wrong) = await _client.PostAsync("/api/login", CodeStep("jane", WrongTotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));
        var retry = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));

        Assert.Equal("""{"error":"The verification code is incorrect or has expired"}""", wrong);
        Assert.Equal(Kind.Token, retry.Kind);
        Assert.Equal(0, (await ReloadAsync(App.Services, _jane.Id)).ConsecutiveFailures);
    }

    [Fact]
    public async Task Login_WrongCodes_CountTowardLockout_ThenTheRightCodeIsRefused()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var secret = await ChallengeAsync();
        var wrong = WrongTotpCode(key, DateTimeOffset.UtcNow);

        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(ClientApiMessages.WrongCode, (await _client.LoginAsync(CodeStep("jane", wrong, secret, totp: true))).Error);
        }
        var tenth = await _client.LoginAsync(CodeStep("jane", wrong, secret, totp: true));
        var right = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));
        var password = await _client.LoginAsync(PasswordStep("jane", Password));

        Assert.Equal("Too many failed sign-in attempts. Try again in 15 minutes.", tenth.Error);
        Assert.Equal(ClientApiMessages.WrongCode, right.Error); // the lockout ended the pending sign-in
        Assert.StartsWith("Too many failed sign-in attempts. Try again in", password.Error);
        Assert.Empty(await SessionsAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_WrongPasswords_LockOutTheApiLikeUnknownClients()
    {
        for (var i = 0; i < 10; i++)
        {
            await _client.LoginAsync(PasswordStep("jane", "wrong-password-" + i));
        }

        var right = await _client.LoginAsync(PasswordStep("jane", Password));

        Assert.Equal(ClientApiMessages.LockedOut(15), right.Error);
        Assert.Equal(10, (await ReloadAsync(App.Services, _jane.Id)).ConsecutiveFailures);
    }

    [Fact]
    public async Task Login_TotpCodeUsedInTheBrowser_IsRefusedInTheClient()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var code = TotpCode(key, DateTimeOffset.UtcNow);
        var browser = Browser();
        await browser.SignInAsync("jane", Password);
        var token = await browser.GetAntiforgeryTokenAsync("/account/login/2fa");
        var signedIn = await browser.PostAsync("/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa", [ConsoleHttp.TokenField] = token, ["Input.Code"] = code,
        }));
        Assert.NotNull(signedIn.SetCookie(ConsoleHttp.SessionCookie));

        var api = await _client.LoginAsync(CodeStep("jane", code, await ChallengeAsync(), totp: true));

        Assert.Equal(ClientApiMessages.WrongCode, api.Error);
        Assert.DoesNotContain(await SessionsAsync(App.Services, _jane.Id), s => s.Kind == SessionKind.ApiToken);
    }

    [Fact]
    public async Task Login_TotpCodeUsedInTheClient_IsRefusedInTheBrowser()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var code = TotpCode(key, DateTimeOffset.UtcNow);
        Assert.Equal(Kind.Token, (await _client.LoginAsync(CodeStep("jane", code, await ChallengeAsync(), totp: true))).Kind);
        var browser = Browser();
        await browser.SignInAsync("jane", Password);
        var token = await browser.GetAntiforgeryTokenAsync("/account/login/2fa");

        var response = await browser.PostAsync("/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa", [ConsoleHttp.TokenField] = token, ["Input.Code"] = code,
        }));

        Assert.Null(response.SetCookie(ConsoleHttp.SessionCookie));
        Assert.False(string.IsNullOrEmpty(await ConsoleHttp.TextOfAsync(response, "verify-error")));
    }

    [Fact]
    public async Task Login_ReusedSecret_IsRefusedAfterASuccess()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var secret = await ChallengeAsync();
        Assert.Equal(Kind.Token, (await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true))).Kind);

        var reused = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow.AddSeconds(30)), secret, totp: true));

        Assert.Equal(ClientApiMessages.WrongCode, reused.Error);
        Assert.Single(await SessionsAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_SecretOfAnotherUser_IsRefusedUncountedAndLeavesThatSignInAlone()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var bob = await ClientApiHttp.CreateUserAsync(App.Services, "bob", "bob@example.com");
        var bobKey = await EnableTotpAsync(bob.Id);
        var janesSecret = await ChallengeAsync();

        var crossed = await _client.LoginAsync(CodeStep("bob", TotpCode(bobKey, DateTimeOffset.UtcNow), janesSecret, totp: true));
        var janes = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), janesSecret, totp: true));

        Assert.Equal(ClientApiMessages.WrongCode, crossed.Error);
        Assert.Empty(await SessionsAsync(App.Services, bob.Id));
        Assert.Equal(0, (await ReloadAsync(App.Services, bob.Id)).ConsecutiveFailures);
        Assert.Equal(Kind.Token, janes.Kind);
    }

    [Theory]
    [InlineData("987654321", ClientUuid)]
    [InlineData(ClientId, "another-uuid")]
    public async Task Login_SecretFromAnotherClient_IsRefusedAndTheRightClientStillSignsIn(string id, string uuid)
    {
        var key = await EnableTotpAsync(_jane.Id);
        var secret = await ChallengeAsync();
        var code = TotpCode(key, DateTimeOffset.UtcNow);

        var stolen = await _client.LoginAsync(CodeStep("jane", code, secret, totp: true, id: id, uuid: uuid));
        var own = await _client.LoginAsync(CodeStep("jane", code, secret, totp: true));

        Assert.Equal(ClientApiMessages.WrongCode, stolen.Error);
        Assert.Equal(Kind.Token, own.Kind);
        Assert.Equal(0, (await ReloadAsync(App.Services, _jane.Id)).ConsecutiveFailures);
    }

    [Theory]
    [InlineData("username")]
    [InlineData("email")]
    public async Task Login_OlderClientWithoutSecret_FindsItsSignInByNameIdAndUuid(string nameField)
    {
        var key = await EnableTotpAsync(_jane.Id);
        await ChallengeAsync();

        var otherClient = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), null, totp: false, uuid: "another-uuid",
            nameField: nameField));
        var old = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), null, totp: false, nameField: nameField));

        Assert.Equal(ClientApiMessages.WrongCode, otherClient.Error);
        Assert.Equal(Kind.Token, old.Kind);
    }

    [Fact]
    public async Task Login_EnforcedTwoFactorWithoutEnrollment_TellsTheUserToEnrollInTheConsole()
    {
        await UpdateUserAsync(App.Services, _jane.Id, u => u.TwoFactorEnforced = true);

        var answer = await _client.LoginAsync(PasswordStep("jane", Password));

        Assert.Equal(ClientApiMessages.MustEnroll, answer.Error);
        Assert.Contains("web console", answer.Error);
        Assert.Empty(await SessionsAsync(App.Services, _jane.Id));
        Assert.Equal(0, await PendingCountAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_BrowserPendingSignIn_SurvivesAClientSignIn()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var browser = Browser();
        await browser.SignInAsync("jane", Password);
        var token = await browser.GetAntiforgeryTokenAsync("/account/login/2fa");

        await ChallengeAsync();
        var response = await browser.PostAsync("/account/login/2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-2fa", [ConsoleHttp.TokenField] = token, ["Input.Code"] = TotpCode(key, DateTimeOffset.UtcNow),
        }));

        Assert.NotNull(response.SetCookie(ConsoleHttp.SessionCookie));
    }

    [Fact]
    public async Task Login_ClientPendingSignIn_SurvivesABrowserSignIn()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var secret = await ChallengeAsync();

        var browser = Browser();
        var redirect = await browser.SignInAsync("jane", Password);
        Assert.StartsWith("/account/login/2fa", redirect.RedirectTarget(browser).PathAndQuery);
        var answer = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));

        Assert.Equal(Kind.Token, answer.Kind);
    }

    [Fact]
    public async Task Login_ClientSecret_IsNoBrowserPendingCookie()
    {
        var key = await EnableTotpAsync(_jane.Id);
        var secret = await ChallengeAsync();
        var browser = CookielessClient();

        var page = await browser.SendAsync(ConsoleHttp.WithCookie(HttpMethod.Get, "/account/login/2fa", "rd.pending=" + secret));
        var client = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));

        Assert.False(string.IsNullOrEmpty(await ConsoleHttp.TextOfAsync(page, "verify-error")));
        Assert.Equal(Kind.Token, client.Kind);
    }

    [Fact]
    public async Task Login_ExpiredSecret_AnswersTheCodeError()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new ConsoleAppFactory(time: time);
        var client = app.NewClient(cookies: false);
        var jane = await ClientApiHttp.CreateUserAsync(app.Services, "jane", "jane@example.com");
        var key = (await SeedTotpAsync(app.Services, jane.Id)).Key;
        var secret = (await client.LoginAsync(PasswordStep("jane", Password))).Secret;

        time.Advance(TimeSpan.FromMinutes(11));
        var expired = await client.LoginAsync(CodeStep("jane", TotpCode(key, time.GetUtcNow()), secret, totp: true));

        Assert.Equal(ClientApiMessages.WrongCode, expired.Error);
        Assert.Empty(await SessionsAsync(app.Services, jane.Id));
    }

    [Fact]
    public async Task LoginOptions_AnswersAnEmptyArray()
    {
        var response = await _client.GetAsync("/api/login-options");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }
}
