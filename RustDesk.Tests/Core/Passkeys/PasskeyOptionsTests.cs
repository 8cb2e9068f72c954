using Microsoft.Extensions.Options;
using RustDesk.Core.Administration;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Security;

namespace RustDesk.Tests.Core.Passkeys;

/// <summary>The relying-party id and origins must match the console's public address, or start-up stops.</summary>
public sealed class PasskeyOptionsTests
{
    private static ValidateOptionsResult Validate(string? publicUrl, string? domain, params string[] origins) =>
        new PasskeyOptionsValidator(Options.Create(new PublicUrlOptions { PublicBaseUrl = publicUrl }))
            .Validate(null, new PasskeyOptions { ServerDomain = domain, Origins = origins });

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validate(null, null).Succeeded);
        Assert.True(Validate("https://console.example.com", null).Succeeded);
        Assert.True(Validate("https://console.example.com", "example.com", "https://console.example.com").Succeeded);
    }

    [Theory]
    [InlineData("https://console.example.com", "other.example", new string[0], "Console:PublicBaseUrl")]
    [InlineData("https://console.example.com", "console.example.com", new[] { "https://elsewhere.example.com" }, "Passkeys:Origins")]
    [InlineData(null, "localhost", new[] { "https://evil.example" }, "Passkeys:Origins")]
    [InlineData(null, "127.0.0.1", new string[0], "Passkeys:ServerDomain")]
    [InlineData(null, "localhost", new[] { "not an origin" }, "Passkeys:Origins")]
    public void Validate_Mismatch_FailsNamingTheKey(string? publicUrl, string domain, string[] origins, string key)
    {
        var result = Validate(publicUrl, domain, origins);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage);
    }
}
