using OtpNet;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.TwoFactor;

internal static class TwoFactorTestHelpers
{
    public static string CodeAt(byte[] key, CoreHost host, int stepOffset = 0) =>
        TotpAlgorithm.Default.Compute(key, TotpAlgorithm.Default.StepAt(host.Time.GetUtcNow()) + stepOffset);

    /// <summary>
    /// Starts and confirms an enrollment (see <see cref="TestSessions.EnableTotpAsync"/>: from <paramref name="sessionId"/>,
    /// or a session of its own that it ends); returns the key and the six backup codes.
    /// </summary>
    public static async Task<(byte[] Key, IReadOnlyList<string> Codes)> EnableAsync(CoreHost host, string userId, string? sessionId = null)
    {
        var (secret, codes) = await TestSessions.EnableTotpAsync(host.Services, userId,
            base32 => Task.FromResult(CodeAt(Base32Encoding.ToBytes(base32), host)), sessionId);
        // The confirming code's step is spent; move two steps on so that the whole ±1 window is unused.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        return (Base32Encoding.ToBytes(secret), codes);
    }

    public static Task<SecondFactorResult> VerifyAsync(CoreHost host, string userId, string? code) =>
        host.WithAsync<SecondFactorVerifier, SecondFactorResult>(s => s.VerifyAsync(userId, code));
}
