using System.Net;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>Unknown addresses and stray form posts get a page, never a server error.</summary>
public sealed class ErrorPagesHttpTests(SharedConsoleApp fixture) : IClassFixture<SharedConsoleApp>
{
    [Fact]
    public async Task Get_UnknownPath_Returns404Page()
    {
        using var client = fixture.App.NewClient();

        var response = await client.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertNoStackTrace(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/no/such/page")]
    [InlineData("/account/logout")]
    [InlineData("/account/login")]
    [InlineData("/settings")]
    public async Task PostForm_WithoutAntiforgeryToken_AnswersBelow500(string path)
    {
        // The status-code page re-runs the request; it must not trip over the refused form a second time.
        using var client = fixture.App.NewClient();
        await client.GetAsync("/account/login");

        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "b" }));

        Assert.InRange((int)response.StatusCode, 300, 499);
        AssertNoStackTrace(await response.Content.ReadAsStringAsync());
    }
}
