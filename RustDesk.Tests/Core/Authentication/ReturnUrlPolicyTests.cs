using RustDesk.Core.Authentication;

namespace RustDesk.Tests.Core.Authentication;

public sealed class ReturnUrlPolicyTests
{
    [Theory]
    [InlineData("/settings")]
    [InlineData("/settings/security")]
    [InlineData("/admin/users?page=2&q=ann")]
    public void Sanitize_LocalPath_IsKept(string url) => Assert.Equal(url, ReturnUrlPolicy.Sanitize(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("settings")]
    [InlineData("/settings\r\nLocation: https://evil.example")]
    [InlineData("/ /evil")]
    [InlineData("/\tevil")]
    public void Sanitize_AnythingElse_FallsBackToHome(string? url) =>
        Assert.Equal(ReturnUrlPolicy.Home, ReturnUrlPolicy.Sanitize(url));

    [Fact]
    public void Sanitize_OverLongUrl_FallsBackToHome() =>
        Assert.Equal(ReturnUrlPolicy.Home, ReturnUrlPolicy.Sanitize("/" + new string('a', 5000)));
}
