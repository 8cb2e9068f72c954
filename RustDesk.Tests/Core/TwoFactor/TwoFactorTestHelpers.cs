using OtpNet;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.TwoFactor;

internal static class TwoFactorTestHelpers
{
    public static string CodeAt(byte[] key, CoreHost host, int stepOffset = 0) =>
        TotpAlgorithm.Default.Compute(key, TotpAlgorithm.Default.StepAt(host.Time.GetUtcNow()) + stepOffset);

    /// <summary>Starts and confirms an enrollment; returns the key and the six backup codes.</summary>
    public static async Task<(byte[] Key, IReadOnlyList<string> Codes)> EnableAsync(CoreHost host, string userId, string? sessionId = null)
    {
        var view = await host.WithAsync<TotpEnrollmentService, TotpEnrollmentView?>(s => s.StartAsync(userId));
        var key = Base32Encoding.ToBytes(view!.SecretBase32);
        var result = await host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(userId, sessionId, CodeAt(key, host)));
        Assert.Equal(EnrollmentStatus.Enabled, result.Status);
        // The confirming code's step is spent; move two steps on so that the whole ±1 window is unused.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        return (key, result.BackupCodes!);
    }

    public static Task<SecondFactorResult> VerifyAsync(CoreHost host, string userId, string? code) =>
        host.WithAsync<TwoFactorService, SecondFactorResult>(s => s.VerifyAsync(userId, code));
}
