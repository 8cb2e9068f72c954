using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;

namespace RustDesk.Core.TwoFactor.Totp;

/// <summary>Generating and presenting TOTP keys.</summary>
public static class TotpSecret
{
    /// <summary>160 bits, the HMAC-SHA1 block-size recommendation of RFC 4226 §4, from a CSPRNG.</summary>
    public const int KeyBytes = 20;

    public static byte[] Generate() => RandomNumberGenerator.GetBytes(KeyBytes);

    /// <summary>The key as 32 Base32 characters (RFC 4648, no padding), as authenticator apps expect.</summary>
    public static string ToBase32(byte[] key) => Base32Encoding.ToString(key).TrimEnd('=');

    /// <summary>"ABCD EFGH …": groups of four, easier to type from the screen.</summary>
    public static string Grouped(string base32) =>
        string.Join(' ', Enumerable.Range(0, (base32.Length + 3) / 4).Select(i => base32.Substring(i * 4, Math.Min(4, base32.Length - i * 4))));

    /// <summary>
    /// Google's Key Uri Format: <c>otpauth://totp/Issuer:user?secret=…&amp;issuer=…&amp;algorithm=SHA1&amp;digits=6&amp;period=30</c>.
    /// </summary>
    public static string ToUri(string issuer, string userName, string base32) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(userName)}" +
        $"?secret={base32}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
}

/// <summary>Encrypts TOTP keys at rest with their own Data Protection purpose.</summary>
public sealed class TotpSecretProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "RustDesk.TwoFactor.TotpSecret.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(byte[] key) => Convert.ToBase64String(_protector.Protect(key));

    public byte[] Unprotect(string stored) => _protector.Unprotect(Convert.FromBase64String(stored));
}
