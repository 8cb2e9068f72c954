namespace RustDesk.Core.Sessions;

/// <summary>
/// A signed-in device. The browser's cookie carries only a random key; the authentication ticket lives here,
/// so revoking a row signs that device out on every instance. <see cref="Kind"/> leaves room for the RustDesk
/// client's API tokens, which are the same thing with a bearer token instead of a cookie.
/// </summary>
public sealed class UserSession
{
    /// <summary>SHA-256 (hex) of the key held by the client; the key itself is never stored.</summary>
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public SessionKind Kind { get; set; } = SessionKind.Browser;

    /// <summary>The serialized authentication ticket, encrypted with Data Protection.</summary>
    public byte[] Ticket { get; set; } = [];

    /// <summary>The user's security stamp when the session was issued; a different stamp ends the session.</summary>
    public string SecurityStamp { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Whether the user ticked Remember me.</summary>
    public bool IsPersistent { get; set; }

    /// <summary>Until when a re-verification in this session covers settings changes (see ReVerificationService).</summary>
    public DateTime? ReVerifiedUntil { get; set; }

    /// <summary>
    /// SHA-256 of the device id of the browser that signed in (its <c>rd.device</c> cookie), or null. Wrong secrets typed
    /// inside this session (re-verification, the 2FA dialogs, the password change) spend that device's failure budget,
    /// so a flood from unknown clients that locked them out does not lock the owner's own session out of its dialogs.
    /// </summary>
    public string? DeviceHash { get; set; }

    public string IpAddress { get; set; } = "";

    public string UserAgent { get; set; } = "";

    /// <summary>For <see cref="SessionKind.ApiToken"/>: the RustDesk ID of the client that holds the token.</summary>
    public string? ClientId { get; set; }

    /// <summary>For <see cref="SessionKind.ApiToken"/>: the client's <c>deviceInfo.os</c> (e.g. "windows").</summary>
    public string? DeviceOs { get; set; }

    /// <summary>For <see cref="SessionKind.ApiToken"/>: the client's <c>deviceInfo.type</c> ("client" or "browser").</summary>
    public string? DeviceType { get; set; }

    /// <summary>For <see cref="SessionKind.ApiToken"/>: the client's <c>deviceInfo.name</c> (the computer's name).</summary>
    public string? DeviceName { get; set; }

    public const int MaxDeviceFieldLength = 100;
    public const int MaxUserAgentLength = 512;
    public const int MaxIpLength = 64;
}

public enum SessionKind
{
    /// <summary>A browser's cookie session.</summary>
    Browser = 0,
    /// <summary>A RustDesk client's bearer token from <c>/api/login</c>; never accepted as a cookie, nor a cookie as one.</summary>
    ApiToken = 1,
}
