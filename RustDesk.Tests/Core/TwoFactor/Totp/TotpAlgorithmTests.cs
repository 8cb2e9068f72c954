using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.TwoFactor.Totp;

public sealed class TotpAlgorithmTests
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // RFC 6238 Appendix B.
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Compute_Rfc6238AppendixB_MatchesEveryVector(long unixTime, string sha1, string sha256, string sha512)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixTime);

        Assert.Equal(sha1, Compute(OtpHashMode.Sha1, Sha1Seed, time));
        Assert.Equal(sha256, Compute(OtpHashMode.Sha256, Sha256Seed, time));
        Assert.Equal(sha512, Compute(OtpHashMode.Sha512, Sha512Seed, time));
    }

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    public async Task VerifyAsync_Rfc6238Sha1VectorThroughTheService_IsAccepted(long unixTime, string eightDigits)
    {
        // Arrange: the RFC's SHA-1 seed as a user's stored (encrypted) key, the clock at the vector's time.
        await using var host = await new CoreHost(startTime: DateTimeOffset.FromUnixTimeSeconds(unixTime)).InitializeAsync();
        var user = await host.CreateUserAsync("rfc", "rfc password 1");
        var protector = host.Services.GetRequiredService<TotpSecretProtector>();
        await host.WithAsync<ConsoleDbContext, int>(db =>
        {
            db.TotpAuthenticators.Add(new TotpAuthenticator { UserId = user.Id, ProtectedSecret = protector.Protect(Sha1Seed), LastAcceptedStep = -1 });
            return db.SaveChangesAsync();
        });

        // Act: the console's 6-digit code is the last six digits of the RFC's 8-digit one (same truncation, mod 10^6).
        var result = await TwoFactorTestHelpers.VerifyAsync(host, user.Id, eightDigits[2..]);

        // Assert
        Assert.Equal(SecondFactorResult.Succeeded, result);
    }

    private static string Compute(OtpHashMode mode, byte[] key, DateTimeOffset time)
    {
        var algorithm = new TotpAlgorithm(mode, digits: 8);
        return algorithm.Compute(key, algorithm.StepAt(time));
    }
}
