using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace RustDesk.Core.TwoFactor.BackupCodes;

/// <summary>
/// Backup codes have about 33 bits of entropy, far below 112, so ASVS 2.6.2 asks for a salted password-hash
/// function. PBKDF2-HMAC-SHA256 with a per-code salt; the iteration count is chosen (see bench/) so that checking
/// one entry against all six codes stays within a few tens of milliseconds and cannot be used to burn the CPU.
/// Stored as <c>v1$iterations$salt$hash</c> (Base64).
/// </summary>
public sealed class BackupCodeHasher(IOptions<TwoFactorOptions> options)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public string Hash(string code)
    {
        var iterations = options.Value.BackupCodeHashIterations;
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(code, salt, iterations);
        return $"v1${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public bool Verify(string stored, string code)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "v1" || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Derive(code, Convert.FromBase64String(parts[2]), iterations);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static byte[] Derive(string code, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(code), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
