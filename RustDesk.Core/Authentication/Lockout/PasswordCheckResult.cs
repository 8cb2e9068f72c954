using RustDesk.Core.Accounts;

namespace RustDesk.Core.Authentication.Lockout;

// The answer of every check of a secret that counts toward lockout (the password step's, and LockoutGuard's when a
// secret was wrong): here, below every step that gives it, so that the lockout does not depend on the sign-in steps.

public enum PasswordCheckStatus
{
    Succeeded,
    /// <summary>Unknown user or wrong password: the two are never told apart.</summary>
    Failed,
    LockedOut,
    Disabled,
}

/// <param name="LockedOutUntil">For <see cref="PasswordCheckStatus.LockedOut"/>: when a retry may succeed; null = until unlocked.</param>
/// <param name="DeviceHash">The user's trusted device this attempt came from (its device cookie), for the pending sign-in.</param>
public sealed record PasswordCheckResult(PasswordCheckStatus Status, ConsoleUser? User = null, DateTimeOffset? LockedOutUntil = null,
    string? DeviceHash = null);
