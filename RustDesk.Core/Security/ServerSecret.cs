namespace RustDesk.Core.Security;

/// <summary>
/// A random key of the server, shared by every console instance through the database and stored only encrypted
/// with Data Protection (see <see cref="ServerSecrets"/>).
/// </summary>
public sealed class ServerSecret
{
    public const int MaxNameLength = 64;

    /// <summary>What the key is for, e.g. <c>email-code-hmac</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The key, protected with Data Protection under <see cref="ServerSecrets.Purpose"/> and the name (Base64).</summary>
    public string ProtectedValue { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
