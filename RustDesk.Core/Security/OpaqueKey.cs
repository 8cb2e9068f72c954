using System.Security.Cryptography;
using System.Text;

namespace RustDesk.Core.Security;

/// <summary>
/// Random keys handed to a browser (session and pending sign-in cookies). The database keeps only their SHA-256,
/// so a copy of the database does not contain a usable key.
/// </summary>
public static class OpaqueKey
{
    /// <summary>256 bits from a CSPRNG, Base64url.</summary>
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
