namespace RustDesk.Core.TwoFactor;

/// <summary>A user's confirmed TOTP authenticator. Its presence means 2FA is on.</summary>
public sealed class TotpAuthenticator
{
    public string UserId { get; set; } = "";

    /// <summary>The 160-bit key, encrypted with Data Protection (purpose <see cref="TotpSecretProtector.Purpose"/>).</summary>
    public string ProtectedSecret { get; set; } = "";

    /// <summary>The last RFC 6238 time step accepted; a code for this step or an earlier one is refused (§5.2).</summary>
    public long LastAcceptedStep { get; set; }

    public DateTime EnabledAt { get; set; }

    /// <summary>When the secret last changed (enable or renew); expiry counts from here.</summary>
    public DateTime SecretChangedAt { get; set; }
}

/// <summary>
/// The secret shown in an open enable (or renew) dialog, until it is confirmed, cancelled or expires. It belongs to
/// the session that opened the dialog (one per session, replaced at each opening): no other session, even of the same
/// user, can read, confirm or keep it alive.
/// </summary>
public sealed class TotpEnrollment
{
    /// <summary>The session (<see cref="Sessions.UserSession.Id"/>) that opened the dialog.</summary>
    public string SessionId { get; set; } = "";

    public string UserId { get; set; } = "";

    public string ProtectedSecret { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public int FailedAttempts { get; set; }
}

/// <summary>One single-use backup code, stored only as a salted slow hash.</summary>
public sealed class BackupCode
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public string Hash { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? UsedAt { get; set; }
}
