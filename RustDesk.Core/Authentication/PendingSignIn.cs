namespace RustDesk.Core.Authentication;

public enum SecondFactorMethod
{
    /// <summary>The 2FA step at <c>/account/login/2fa</c>: a TOTP code, a backup code or a passkey.</summary>
    Totp = 1,
    Email = 2,
}

/// <summary>What started a pending sign-in: a browser (its key in the <c>rd.pending</c> cookie) or the RustDesk client's account API (its key is the <c>secret</c>).</summary>
public enum SignInClient
{
    Browser = 0,
    RustDeskClient = 1,
}

/// <summary>
/// A sign-in that passed the password step and waits for its second factor. The browser holds a random key in
/// a cookie; only its hash is stored. Emailed codes are bound to this row, so a code sent for one sign-in is
/// worthless for another.
/// </summary>
public sealed class PendingSignIn
{
    /// <summary>SHA-256 (hex) of the browser's key.</summary>
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public SecondFactorMethod Method { get; set; }

    /// <summary>Remember me as ticked on the password page.</summary>
    public bool IsPersistent { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When this step ends: the code's lifetime, never later than <see cref="AbsoluteExpiresAt"/>.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>The absolute end of the sign-in, fixed at the password step: a resent code does not move it.</summary>
    public DateTime AbsoluteExpiresAt { get; set; }

    /// <summary>The user's security stamp at the password step; a change since (password, 2FA, forced logout) voids the sign-in.</summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>The user's trusted device that started the sign-in (device cookie), whose failure budget the second step spends.</summary>
    public string? DeviceHash { get; set; }

    /// <summary>Hash of the emailed code (email method); never the code itself.</summary>
    public string? EmailCodeHash { get; set; }

    public DateTime? EmailCodeSentAt { get; set; }

    public int EmailCodeFailures { get; set; }

    /// <summary>The outbox message that carries the current code, to tell the page whether it could be sent.</summary>
    public long? EmailMessageId { get; set; }

    public string IpAddress { get; set; } = "";

    public string UserAgent { get; set; } = "";

    /// <summary>Who started the sign-in; a browser's key never finishes a client's sign-in, nor the other way round.</summary>
    public SignInClient Client { get; set; } = SignInClient.Browser;

    /// <summary>For <see cref="SignInClient.RustDeskClient"/>: the client's RustDesk ID, to which the sign-in is bound.</summary>
    public string? ClientId { get; set; }

    /// <summary>For <see cref="SignInClient.RustDeskClient"/>: the client's <c>uuid</c>, to which the sign-in is bound.</summary>
    public string? ClientUuid { get; set; }

    public const int MaxClientIdLength = 100;
    public const int MaxClientUuidLength = 128;
}
