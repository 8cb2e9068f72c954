namespace RustDesk.Core.Passkeys;

/// <summary>
/// A passkey (WebAuthn public-key credential) registered by a user. Its presence means the user has 2FA on; with a
/// discoverable credential it also signs the user in without a password (<see cref="PasskeyOptions.AllowPasswordless"/>).
/// Only the public key is stored: a copy of the database proves nothing.
/// </summary>
public sealed class PasskeyCredential
{
    public const int MaxNameLength = 64;

    /// <summary>WebAuthn allows credential ids up to 1023 bytes.</summary>
    public const int MaxCredentialIdLength = 1023;

    public long Id { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>The authenticator's credential id (raw bytes); unique over all users.</summary>
    public byte[] CredentialId { get; set; } = [];

    /// <summary>The COSE public key as the authenticator gave it.</summary>
    public byte[] PublicKey { get; set; } = [];

    /// <summary>The last signature counter accepted; a non-zero counter must grow at each use (clone detection).</summary>
    public long SignCount { get; set; }

    /// <summary>The WebAuthn user handle given at registration (<see cref="PasskeyUserHandle"/>); a passwordless assertion must carry it.</summary>
    public byte[] UserHandle { get; set; } = [];

    /// <summary>The user's label, trimmed, 1–64 characters.</summary>
    public string Name { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    /// <summary>Transports the browser reported (comma-separated, e.g. <c>internal,hybrid</c>), passed back as hints.</summary>
    public string Transports { get; set; } = "";

    public Guid AaGuid { get; set; }

    public bool IsBackupEligible { get; set; }

    public bool IsBackedUp { get; set; }
}

/// <summary>What a server-side challenge was issued for; a challenge is only accepted by the ceremony it was issued for.</summary>
public enum PasskeyCeremony
{
    /// <summary>Registering a passkey, bound to the session that asked (after re-verification).</summary>
    Registration = 1,
    /// <summary>The second step of a pending sign-in, bound to it.</summary>
    SignInStep = 2,
    /// <summary>Re-verification inside a session, bound to the session.</summary>
    ReVerification = 3,
    /// <summary>Passwordless sign-in, bound to a fresh anonymous handle held by the browser.</summary>
    Passwordless = 4,
}

/// <summary>
/// A WebAuthn challenge the server issued: random, single use (a conditional delete decides), short-lived
/// (<see cref="PasskeyOptions.ChallengeLifetimeSeconds"/>) and bound to what asked for it. One per ceremony and binding;
/// a new one replaces the old.
/// </summary>
public sealed class PasskeyChallenge
{
    /// <summary>Random row key (not the challenge).</summary>
    public string Id { get; set; } = "";

    public PasskeyCeremony Ceremony { get; set; }

    /// <summary>The session id, the pending sign-in id, or the SHA-256 of the anonymous handle.</summary>
    public string Binding { get; set; } = "";

    /// <summary>The user it was issued for; null for passwordless.</summary>
    public string? UserId { get; set; }

    /// <summary>The options sent to the browser (JSON, holds the challenge); the response is verified against them.</summary>
    public string OptionsJson { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}
