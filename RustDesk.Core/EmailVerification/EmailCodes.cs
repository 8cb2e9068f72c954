using System.Security.Cryptography;
using System.Text;
using RustDesk.Core.Mail;
using RustDesk.Core.Security;

namespace RustDesk.Core.EmailVerification;

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
/// Six-digit codes (the RustDesk client accepts exactly six characters) from a CSPRNG. The database holds only
/// HMAC-SHA256(server key, what the code is bound to + code): the binding (one pending sign-in, or one address
/// change) makes a code worthless elsewhere, and the key — a 256-bit server secret, never in the same row, stored
/// encrypted with Data Protection (<see cref="Security.ServerSecrets"/>) — keeps a copy of the database from giving
/// the code away: with only 10^6 candidates, a hash keyed with anything in the row falls in microseconds.
/// </summary>
public static class EmailCodes
{
    public const int Length = 6;

    public static string Generate() => RandomNumberGenerator.GetString("0123456789", Length);

    /// <summary>Hex HMAC of <paramref name="code"/> for <paramref name="boundTo"/> under <paramref name="key"/>.</summary>
    public static string Hash(byte[] key, string boundTo, string code) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("rd-email-code:v2\n" + boundTo + "\n" + code)));

    /// <summary>Exactly six ASCII digits; spaces around are ignored.</summary>
    public static string? Normalize(string? input)
    {
        var trimmed = input?.Trim();
        return trimmed is { Length: Length } && trimmed.All(c => c is >= '0' and <= '9') ? trimmed : null;
    }

    /// <summary>Compared in fixed time; a hash of another scheme (e.g. from before the server key) never matches.</summary>
    public static bool Matches(string? storedHash, byte[] key, string boundTo, string code) =>
        storedHash is not null && SecretText.FixedTimeEquals(storedHash, Hash(key, boundTo, code));
}

/// <summary><see cref="EmailCodes"/> with the server's HMAC key, for the services that store and check codes.</summary>
public sealed class EmailCodeHasher(ServerSecrets secrets)
{
    /// <summary>The name of the HMAC key in the <c>ServerSecrets</c> table.</summary>
    public const string SecretName = "email-code-hmac";

    public async Task<string> HashAsync(string boundTo, string code, CancellationToken cancellationToken = default) =>
        EmailCodes.Hash(await secrets.GetAsync(SecretName, cancellationToken), boundTo, code);

    public async Task<bool> MatchesAsync(string? storedHash, string boundTo, string code, CancellationToken cancellationToken = default) =>
        EmailCodes.Matches(storedHash, await secrets.GetAsync(SecretName, cancellationToken), boundTo, code);
}
