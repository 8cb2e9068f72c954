using System.Net;
using System.Text;
using RustDesk.Core.Accounts;
using RustDesk.Core.ClientApi;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;
using static RustDesk.Tests.Web.Http.ClientApi.ClientApiHttp;

namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>
/// What a broken or hostile program may send to <c>/api/login</c>: every answer is HTTP 200 with a clear
/// <c>{"error": …}</c> the client can show — never a 500 or a framework problem body — and nothing changes unless it
/// was a guess at a code, which counts.
/// </summary>
public sealed class ClientApiBadInputHttpTests : ConsoleHttpTest
{
    private HttpClient _client = default!;
    private ConsoleUser _jane = default!;

    protected override async Task ArrangeAsync()
    {
        _client = CookielessClient();
        _jane = await ClientApiHttp.CreateUserAsync(App.Services, "jane", "jane@example.com");
    }

    public static TheoryData<string, string> Bodies => new()
    {
        { "", "Malformed request" },
        { "not json", "Malformed request" },
        { "{\"username\":", "Malformed request" },
        { "[]", "Malformed request" },
        { "null", "Malformed request" },
        { "\"account\"", "Malformed request" },
        { """{"username":123,"password":"x","id":"1","uuid":"u","type":"account"}""", "\"username\" has the wrong type" },
        { """{"username":"jane","password":"x","id":123456789,"uuid":"u","type":"account"}""", "\"id\" has the wrong type" },
        { """{"username":"jane","password":"x","id":"1","uuid":"u","autoLogin":"yes","type":"account"}""", "\"autoLogin\" has the wrong type" },
        { """{"username":"jane","password":"x","id":"1","uuid":"u","type":"account","deviceInfo":"windows"}""", "\"deviceInfo\" has the wrong type" },
        { """{"username":"jane","password":"x","id":"1","uuid":"u","type":"account","deviceInfo":{"os":7}}""", "\"deviceInfo.os\" has the wrong type" },
        { """{"username":"jane","password":"x","uuid":"u","type":"account"}""", ClientApiMessages.MissingClient },
        { """{"username":"jane","password":"x","id":"1","type":"account"}""", ClientApiMessages.MissingClient },
        { """{"password":"x","id":"1","uuid":"u","type":"account"}""", ClientApiMessages.MissingUserName },
        { """{"username":"jane","id":"1","uuid":"u","type":"account"}""", ClientApiMessages.MissingPassword },
        { """{"username":"jane","id":"1","uuid":"u","type":"email_code"}""", ClientApiMessages.MissingCode },
        { """{"username":"jane","password":"x","id":"1","uuid":"u","type":"tfa_check"}""", ClientApiMessages.UnknownType },
        { """{"username":"jane","password":"x","id":"1","uuid":"u","type":"sso"}""", ClientApiMessages.UnknownType },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Login_BadBody_AnswersAClearErrorAndChangesNothing(string body, string expected)
    {
        var (status, text) = await _client.PostAsync("/api/login", body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(expected, RustDeskClientParser.ParseError(text));
        var jane = await ReloadAsync(App.Services, _jane.Id);
        Assert.Equal(0, jane.AccessFailedCount);
        Assert.Empty(await SessionsAsync(App.Services, _jane.Id));
    }

    [Fact]
    public async Task Login_OneMegabyteBody_IsRefusedUnread()
    {
        var huge = PasswordStep("jane", new string('a', 1024 * 1024));

        var (status, text) = await _client.PostAsync("/api/login", huge);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ClientApiMessages.TooLarge, RustDeskClientParser.ParseError(text));
        Assert.Equal(0, (await ReloadAsync(App.Services, _jane.Id)).AccessFailedCount);
    }

    [Fact]
    public async Task Login_OneMegabyteBodyWithoutContentLength_IsRefused()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(PasswordStep("jane", new string('a', 1024 * 1024)))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/login") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ClientApiMessages.TooLarge, RustDeskClientParser.ParseError(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(7)]
    [InlineData(0)]
    public async Task Login_CodeOfTheWrongLength_IsRefusedUncountedAndTheSignInGoesOn(int length)
    {
        var key = (await SeedTotpAsync(App.Services, _jane.Id)).Key;
        var secret = (await _client.LoginAsync(PasswordStep("jane", Password))).Secret;

        var bad = await _client.LoginAsync(CodeStep("jane", new string('1', length), secret, totp: true));
        var good = await _client.LoginAsync(CodeStep("jane", TotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));

        Assert.NotNull(bad.Error);
        Assert.Equal(0, (await ReloadAsync(App.Services, _jane.Id)).ConsecutiveFailures);
        Assert.Equal(RustDeskClientParser.LoginKind.Token, good.Kind);
    }

    [Theory]
    [InlineData("forged-secret")]
    [InlineData("")]
    public async Task Login_ForgedOrEmptySecret_AnswersTheCodeErrorWithoutCheckingTheCode(string secret)
    {
        var key = (await SeedTotpAsync(App.Services, _jane.Id)).Key;
        var code = TotpCode(key, DateTimeOffset.UtcNow);

        var forged = await _client.LoginAsync(CodeStep("jane", code, secret + new string('A', 4000), totp: true));
        var real = await _client.LoginAsync(CodeStep("jane", code, (await _client.LoginAsync(PasswordStep("jane", Password))).Secret, totp: true));

        Assert.Equal(ClientApiMessages.WrongCode, forged.Error);
        Assert.Equal(RustDeskClientParser.LoginKind.Token, real.Kind);
    }

    [Fact]
    public async Task Login_WrongCode_IsAGuessAndCounts()
    {
        var key = (await SeedTotpAsync(App.Services, _jane.Id)).Key;
        var secret = (await _client.LoginAsync(PasswordStep("jane", Password))).Secret;

        await _client.LoginAsync(CodeStep("jane", WrongTotpCode(key, DateTimeOffset.UtcNow), secret, totp: true));

        Assert.Equal(1, (await ReloadAsync(App.Services, _jane.Id)).ConsecutiveFailures);
    }

    [Fact]
    public async Task Login_FortyParallelWrongPasswords_CountAtMostTheLockoutLimitAndNever500()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _client.PostAsync("/api/login", PasswordStep("jane", "wrong-password-" + i))));

        // 200, or 503 when the password-hashing gate is busy (a refused guess counts nothing); always an error the client can show.
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(answers, a => RustDeskClientParser.ParseError(a.Body));
        Assert.InRange((await ReloadAsync(App.Services, _jane.Id)).ConsecutiveFailures, 1, 10);
    }
}
