using System.Net;

namespace RustDesk.Tests.Web.Http;

public sealed class InvitationHttpTests : ConsoleHttpTest
{
    [Theory]
    [InlineData("/account/invitation")]
    [InlineData("/account/invitation?token=forged")]
    [InlineData("/account/invitation?token=%00%01")]
    public async Task InvalidLink_ShowsAClearMessageWithout500(string path)
    {
        var response = await Browser().GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(ConsoleHttp.TextOf(body, "invitation-message")));
        Assert.Null(ConsoleHttp.TextOf(body, "invitation-password"));
        ConsoleHttp.AssertNoStackTrace(body);
    }
}
