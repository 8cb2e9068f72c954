namespace RustDesk.Core.EmailVerification;

/// <summary>
/// The answers of a Basic-tab save (<c>Accounts/Settings/BasicSettingsService</c>) and of the address proof
/// (<see cref="AddressProof"/>) it hands a new address to; the page shows <c>AddressChange.&lt;Status&gt;</c>.
/// </summary>
public enum AddressChangeStatus
{
    /// <summary>Saved without a code (nothing needed proving).</summary>
    Saved,
    /// <summary>A code went to the new address; the change waits for it.</summary>
    CodeSent,
    Confirmed,
    EmailInvalid,
    EmailTaken,
    /// <summary>Email login verification needs an address.</summary>
    EmailRequired,
    /// <summary>TOTP is on, so email login verification is not used and cannot be turned on.</summary>
    TotpActive,
    InvalidCode,
    WrongCode,
    /// <summary>No open request: never made, expired, cancelled, already confirmed, or voided after too many wrong codes.</summary>
    NoRequest,
    TooSoon,
    UserNotFound,
    ReVerificationRequired,
}

public sealed record AddressChangeResult(AddressChangeStatus Status, int RetryInSeconds = 0) : ReVerification.IProtectedChangeResult
{
    public bool ReVerificationRequired => Status == AddressChangeStatus.ReVerificationRequired;
}

/// <summary>What the address-confirmation dialog shows.</summary>
public sealed record PendingAddressChange(string NewEmail, DateTime ExpiresAt, int ResendInSeconds, bool DeliveryFailed);

/// <summary>An address the user proved by entering the code sent to it, and whether email login verification goes on with it.</summary>
internal sealed record ProvedAddress(string Email, bool EnableVerification);
