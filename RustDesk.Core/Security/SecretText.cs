using System.Security.Cryptography;
using System.Text;

namespace RustDesk.Core.Security;

/// <summary>Comparing secrets held as text (stored hashes, a password being rated) without an early exit.</summary>
public static class SecretText
{
    /// <summary>
    /// True when both are null or both hold the same characters. Their UTF-8 bytes are compared in time that does not
    /// depend on where they first differ (only texts of different byte lengths return at once, as
    /// <see cref="CryptographicOperations.FixedTimeEquals"/> does); one null and one not is never equal.
    /// </summary>
    public static bool FixedTimeEquals(string? left, string? right) =>
        left is null || right is null
            ? left is null && right is null
            : CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}
