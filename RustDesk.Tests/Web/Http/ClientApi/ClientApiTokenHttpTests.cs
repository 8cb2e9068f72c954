using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Administration;
using RustDesk.Core.ClientApi;
using RustDesk.Core.Recovery;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Hosting.Sessions;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;
using static RustDesk.Tests.Web.Http.ClientApi.ClientApiHttp;

namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>
/// The client's access token: <c>/api/currentUser</c> answers the flat user payload while the token's session lives,
/// and 401 once anything that ends sessions has ended it; <c>/api/logout</c> ends it; a token never opens the web
/// console, nor a console session key the API.
/// </summary>
public sealed class ClientApiTokenHttpTests : ConsoleHttpTest
{
    private const string NewPassword = "Velvet-Orbit-Canyon-7731";
    private HttpClient _client = default!;
    private ConsoleUser _jane = default!;

    protected override async Task ArrangeAsync()
    {
        _client = CookielessClient();
        _jane = await ClientApiHttp.CreateUserAsync(App.Services, "jane", "jane@example.com");
    }

    private async Task<string> SignInAsync() => (await _client.LoginAsync(PasswordStep("jane", Password))).AccessToken!;

    [Fact]
    public async Task CurrentUser_ValidToken_AnswersTheFlatUserPayload()
    {
        await UpdateUserAsync(App.Services, _jane.Id, u => u.AlarmNotificationEnabled = true);
        var token = await SignInAsync();

        var (status, body) = await _client.CurrentUserAsync(token);

        Assert.Equal(HttpStatusCode.OK, status);
        using var document = System.Text.Json.JsonDocument.Parse(body);
        RustDeskClientParser.ParseUserPayload(document.RootElement);
        Assert.Equal(
            """{"name":"jane","display_name":"jane Doe","avatar":"","email":"jane@example.com","note":"a note","status":1,"is_admin":false,"verifier":"","info":{"email_verification":false,"email_alarm_notification":true,"login_device_whitelist":[],"other":{}}}""",
            body);
    }

    [Fact]
    public async Task CurrentUser_Administrator_IsAdminTrue()
    {
        var token = (await _client.LoginAsync(PasswordStep("admin", ConsoleAppFactory.AdminPassword))).AccessToken;
        Assert.NotNull(token);

        var (_, body) = await _client.CurrentUserAsync(token!);

        Assert.Contains("\"is_admin\":true", body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("Bearer")]
    public async Task CurrentUser_UnknownToken_Answers401WithAnError(string token)
    {
        var (status, body) = await _client.CurrentUserAsync(token + new string('x', token.Length == 0 ? 0 : 1));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(ClientApiMessages.SignedOut, RustDeskClientParser.ParseError(body));
    }

    [Fact]
    public async Task CurrentUser_NoAuthorizationHeader_Answers401()
    {
        var (status, _) = await _client.PostAsync("/api/currentUser", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Logout_EndsTheTokensSession()
    {
        var token = await SignInAsync();

        var (status, body) = await _client.PostAsync("/api/logout", """{"id":"123456789","uuid":"MDEyMzQ1Njc4OWFiY2RlZg=="}""", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{}", body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.CurrentUserAsync(token)).Status);
        Assert.Empty(await SessionsAsync(App.Services, _jane.Id));
    }

    public static TheoryData<string> Revocations => ["devices tab", "other devices", "password change", "force logout", "reset-2fa", "disabled", "security stamp"];

    [Theory]
    [MemberData(nameof(Revocations))]
    public async Task CurrentUser_AfterRevocation_Answers401(string how)
    {
        var token = await SignInAsync();
        var tokenSession = Assert.Single(await SessionsAsync(App.Services, _jane.Id)).Id;
        var browser = await TestSessions.StoreSessionAsync(App.Services, _jane);
        Assert.Equal(HttpStatusCode.OK, (await _client.CurrentUserAsync(token)).Status);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            switch (how)
            {
                case "devices tab":
                    Assert.Equal(RevokeStatus.Revoked, (await services.GetRequiredService<DeviceService>().RevokeAsync(_jane.Id, browser.SessionId, tokenSession)).Status);
                    break;
                case "other devices":
                    Assert.Equal(1, (await services.GetRequiredService<DeviceService>().RevokeOthersAsync(_jane.Id, browser.SessionId)).Count);
                    break;
                case "password change":
                    var changed = await services.GetRequiredService<AccountSettingsService>()
                        .ChangePasswordAsync(_jane.Id, browser.SessionId, Password, NewPassword, NewPassword, signOutOtherDevices: true);
                    Assert.Equal(SettingsError.None, changed.Error);
                    break;
                case "force logout":
                    var admin = await UserAsync(App.Services, "admin");
                    await SeedTotpAsync(App.Services, admin.Id);
                    var staff = await TestSessions.StoreSessionAsync(App.Services, admin);
                    await TestSessions.GrantAsync(App.Services, staff.SessionId);
                    Assert.Equal(StaffResult.Done, (await services.GetRequiredService<UserAdministrationService>().ForceLogoutAsync(admin.Id, staff.SessionId, _jane.Id)).Result);
                    break;
                case "reset-2fa":
                    await SeedTotpAsync(App.Services, _jane.Id);
                    Assert.Equal(RecoveryStatus.Done, (await services.GetRequiredService<RecoveryService>().ResetTwoFactorAsync("jane")).Status);
                    break;
                case "disabled":
                    await UpdateUserAsync(App.Services, _jane.Id, u => u.Status = UserStatus.Disabled);
                    break;
                default:
                    var users = services.GetRequiredService<UserManager<ConsoleUser>>();
                    await users.UpdateSecurityStampAsync((await users.FindByIdAsync(_jane.Id))!);
                    break;
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.CurrentUserAsync(token)).Status);
    }

    [Fact]
    public async Task CurrentUser_PasswordChangeKeepingOtherDevices_KeepsTheToken()
    {
        var token = await SignInAsync();
        var browser = await TestSessions.StoreSessionAsync(App.Services, _jane);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var changed = await scope.ServiceProvider.GetRequiredService<AccountSettingsService>()
                .ChangePasswordAsync(_jane.Id, browser.SessionId, Password, NewPassword, NewPassword, signOutOtherDevices: false);
            Assert.Equal(SettingsError.None, changed.Error);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.CurrentUserAsync(token)).Status);
    }

    [Fact]
    public async Task Token_IsNotACookieSession_AndACookieSessionKeyIsNoToken()
    {
        var token = await SignInAsync();
        var browser = await TestSessions.StoreSessionAsync(App.Services, _jane);
        var pages = CookielessClient();

        var asCookie = await pages.SendAsync(ConsoleHttp.WithCookie(HttpMethod.Get, "/settings", $"{ConsoleHttp.SessionCookie}={token}"));
        var withBearer = new HttpRequestMessage(HttpMethod.Get, "/settings");
        withBearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var asBearerOnPage = await pages.SendAsync(withBearer);
        var (keyAsToken, _) = await _client.CurrentUserAsync(browser.Key);

        Assert.StartsWith("/account/login", asCookie.RedirectTarget(pages).AbsolutePath);
        Assert.StartsWith("/account/login", asBearerOnPage.RedirectTarget(pages).AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, keyAsToken);
        await using var scope = App.Services.CreateAsyncScope();
        var tokenSession = (await SessionsAsync(App.Services, _jane.Id)).Single(s => s.Kind == SessionKind.ApiToken).Id;
        Assert.False(await scope.ServiceProvider.GetRequiredService<SessionService>().IsValidAsync(tokenSession, _jane.Id));
        Assert.Null(await scope.ServiceProvider.GetRequiredService<SessionTicketStore>().RetrieveAsync(token));
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<SessionTicketStore>().RetrieveAsync(browser.Key));
    }
}
