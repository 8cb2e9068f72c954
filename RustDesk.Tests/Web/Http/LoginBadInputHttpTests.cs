using System.Net;
using System.Text;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>One console for every bad-input case; lockout is set high so that the failed attempts do not lock admin.</summary>
public sealed class BadInputApp : IDisposable
{
    public ConsoleAppFactory App { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Accounts:LockoutFailures"] = "100",
        ["Accounts:LockoutMinutes"] = "60",
    });

    public void Dispose() => App.Dispose();
}

/// <summary>Whatever arrives in the sign-in form's fields, the answer is a page, never a server error or a stack trace.</summary>
public sealed class LoginBadInputHttpTests(BadInputApp fixture) : IClassFixture<BadInputApp>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "Input.UserName", "Input.Password", "Input.RememberMe" })
        {
            foreach (var kind in new[] { "empty", "huge", "non-ascii", "control", "nul" })
            {
                data.Add(field, kind);
            }
        }
        return data;
    }

    private static string Value(string kind) => kind switch
    {
        "empty" => "",
        "huge" => new string('a', 10_000),
        "non-ascii" => "Jürgen-日本語-Ωμέγα-🙂-\u202Eadmin",
        "control" => "ad\u0001min\u0007\r\n\t\u001b[31m\u007f\u0085",
        "nul" => "admin\u0000",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PostLogin_BadValueInField_AnswersWithoutServerErrorOrStackTrace(string field, string kind)
    {
        // Arrange: the other fields hold admin's right credentials, so only the bad field can make it fail.
        using var client = fixture.App.NewClient();
        var token = await client.GetAntiforgeryTokenAsync();
        var fields = LoginFields("admin", ConsoleAppFactory.AdminPassword, "false", token);
        fields[field] = Value(kind);

        // Act
        var response = await client.PostLoginAsync("/account/login", fields);

        // Assert
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {field}={kind}");
        AssertNoStackTrace(body);
        if (kind == "nul")
        {
            // A form holding a NUL is refused before the page runs (whichever field holds it): a 400, nobody signed in.
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.SetCookie(SessionCookie));
        }
        else if (field == "Input.RememberMe")
        {
            // Not "true": the right credentials sign in, and the session is not a Remember me one.
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var cookie = response.SetCookie(SessionCookie);
            Assert.NotNull(cookie);
            Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.SetCookie(SessionCookie));
            Assert.False(string.IsNullOrEmpty(TextOf(body, "login-error")), "no error shown");
        }
    }

    [Fact]
    public async Task PostLogin_InvalidUtf8InEveryField_AnswersWithoutServerError()
    {
        using var client = fixture.App.NewClient();
        var token = await client.GetAntiforgeryTokenAsync();
        var body = $"_handler=login&{TokenField}={Uri.EscapeDataString(token)}" +
                   "&Input.UserName=%ED%A0%80%FF%FE&Input.Password=%C3%28%80&Input.RememberMe=%E2%82";

        var response = await client.PostAsync("/account/login",
            new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.True((int)response.StatusCode < 500, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertNoStackTrace(await response.Content.ReadAsStringAsync());
        Assert.Null(response.SetCookie(SessionCookie));
    }

    [Theory]
    [InlineData("huge")]
    [InlineData("control")]
    [InlineData("non-ascii")]
    public async Task PostLogin_BadReturnUrl_SignsInAndRedirectsHome(string kind)
    {
        using var client = fixture.App.NewClient();
        var returnUrl = kind == "huge" ? "/" + new string('a', 10_000) : "/" + Value(kind);

        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword, returnUrl: returnUrl);

        AssertNoStackTrace(await response.Content.ReadAsStringAsync());
        var target = response.RedirectTarget(client);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        Assert.Equal("/", target.AbsolutePath);
    }
}
