namespace RustDesk.Core.EmailVerification;

/// <summary>
/// An address waiting to be proved: turning email login verification on, or changing the address while it is
/// on, takes effect only after the code sent to the new address is entered. One open request per user.
/// </summary>
public sealed class EmailChangeRequest
{
    public string UserId { get; set; } = "";

    public string NewEmail { get; set; } = "";

    /// <summary>Whether email login verification is on once the address is proved.</summary>
    public bool EnableVerification { get; set; }

    /// <summary>Hash of the code (never the code).</summary>
    public string CodeHash { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public int Failures { get; set; }

    /// <summary>The outbox message that carries the code.</summary>
    public long? EmailMessageId { get; set; }
}
