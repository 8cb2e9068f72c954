using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace RustDesk.Core.TwoFactor.Totp;

/// <summary>
/// RFC 6238 TOTP. The console uses SHA-1, 6 digits and 30-second steps (what every authenticator app and the
/// RustDesk client support); the other parameters exist so that the RFC's Appendix B vectors run through this
/// same code.
/// </summary>
public sealed class TotpAlgorithm(OtpHashMode mode = OtpHashMode.Sha1, int digits = 6, int stepSeconds = 30)
{
    public static readonly TotpAlgorithm Default = new();

    public int Digits => digits;

    public long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / stepSeconds;

    public string Compute(byte[] key, long step)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(step * stepSeconds).UtcDateTime;
        return new OtpNet.Totp(key, stepSeconds, mode, digits).ComputeTotp(time);
    }

    /// <summary>
    /// The step in [now-1, now+1] whose code equals <paramref name="code"/>, or null. All three candidates are
    /// computed and compared in fixed time, so the answer's timing does not say which step (if any) matched.
    /// </summary>
    public long? Match(byte[] key, string code, DateTimeOffset now)
    {
        var given = Encoding.ASCII.GetBytes(code);
        long? matched = null;
        var current = StepAt(now);
        for (var step = current - 1; step <= current + 1; step++)
        {
            var expected = Encoding.ASCII.GetBytes(Compute(key, step));
            if (CryptographicOperations.FixedTimeEquals(expected, given) && matched is null)
            {
                matched = step;
            }
        }
        return matched;
    }
}
