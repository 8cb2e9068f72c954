using System.Security.Cryptography;
using System.Text;

namespace RustDesk.Core.EmailVerification;

public enum EmailCodePurpose
{
    SignIn,
    ConfirmAddress,
}

/// <summary>A code to be mailed, with what the message must say about it.</summary>
public sealed record EmailCodeDelivery(
    string To, string Code, EmailCodePurpose Purpose, string? Culture, TimeSpan ExpiresIn, string? IpAddress, string? UserAgent);

/// <summary>Puts a code message on its way (never waiting for SMTP) and reports whether it could be delivered.</summary>
public interface IEmailCodeSender
{
    /// <summary>Queues the message and returns its id.</summary>
    Task<long> QueueAsync(EmailCodeDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>True when delivering the message has failed at least once and it has not been sent since.</summary>
    Task<bool> HasFailedAsync(long messageId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Six-digit codes (the RustDesk client accepts exactly six characters) from a CSPRNG, stored as an HMAC keyed
/// with the id of what they belong to, so a code is bound to one pending sign-in or one address change and the
/// database holds no code in clear. Codes live minutes and allow five tries; the hash is not meant to resist an
/// attacker who already reads the database during those minutes.
/// </summary>
public static class EmailCodes
{
    public const int Length = 6;

    public static string Generate() => RandomNumberGenerator.GetString("0123456789", Length);

    public static string Hash(string boundTo, string code) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("rd-email-code:" + boundTo), Encoding.ASCII.GetBytes(code)));

    /// <summary>Exactly six ASCII digits; spaces around are ignored.</summary>
    public static string? Normalize(string? input)
    {
        var trimmed = input?.Trim();
        return trimmed is { Length: Length } && trimmed.All(c => c is >= '0' and <= '9') ? trimmed : null;
    }

    public static bool Matches(string? storedHash, string boundTo, string code) =>
        storedHash is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(Hash(boundTo, code)));
}
