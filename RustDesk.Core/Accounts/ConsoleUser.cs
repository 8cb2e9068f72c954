using Microsoft.AspNetCore.Identity;

namespace RustDesk.Core.Accounts;

/// <summary>An operator, support engineer or user of the console.</summary>
public sealed class ConsoleUser : IdentityUser
{
    public const int MaxUserNameLength = 64;
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 100;
    public const int MaxNoteLength = 1000;

    /// <summary>Name shown in the console and sent to the RustDesk client.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Free text kept by administrators.</summary>
    public string Note { get; set; } = "";

    /// <summary>Disabled users cannot sign in and lose their sessions.</summary>
    public UserStatus Status { get; set; } = UserStatus.Active;

    /// <summary>"Enable alarm event email notification" on the Basic tab.</summary>
    public bool AlarmNotificationEnabled { get; set; }

    /// <summary>"Enable email login verification": every sign-in needs a code sent to <see cref="IdentityUser.Email"/> (unless TOTP is on).</summary>
    public bool EmailLoginVerification { get; set; }

    /// <summary>The user's language for email ("en" or "de"), remembered from the console's language switch.</summary>
    public string? PreferredCulture { get; set; }

    /// <summary>Set by staff: the user must enroll TOTP at the next sign-in and reaches nothing else until done.</summary>
    public bool TwoFactorEnforced { get; set; }

    /// <summary>
    /// The password was generated and written to the log (the first administrator): the user reaches nothing but the
    /// change-password page until they choose one. Cleared only by a successful password change.
    /// </summary>
    public bool MustChangePassword { get; set; }

    /// <summary>UTC time the account was created.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Failed sign-in steps of unknown clients (no device cookie) since the last completed sign-in. Unlike
    /// <see cref="Microsoft.AspNetCore.Identity.IdentityUser{TKey}.AccessFailedCount"/> (the failures within the current
    /// lockout window) it survives lockouts, so it bounds guessing in total (NIST 800-63B §5.2.2).
    /// </summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Lockouts since the last completed sign-in; each lasts twice as long as the one before.</summary>
    public int LockoutCount { get; set; }

    /// <summary>
    /// End (UTC) of the lockout for unknown clients; <see cref="DateTime.MaxValue"/> while it lasts until unlocked.
    /// A <see cref="DateTime"/> rather than Identity's <c>LockoutEnd</c> so that SQLite compares it inside the counting UPDATE.
    /// </summary>
    public DateTime? LockedOutUntil { get; set; }
}

/// <summary>Values match the RustDesk client's <c>status</c> field (0 disabled, 1 normal).</summary>
public enum UserStatus
{
    Disabled = 0,
    Active = 1,
}

public sealed class ConsoleRole : IdentityRole
{
    public ConsoleRole() { }
    public ConsoleRole(string name) : base(name) { }
}

/// <summary>The three roles of the console, from most to least privileged.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Support = "Support";
    public const string User = "User";

    public static readonly IReadOnlyList<string> All = [Administrator, Support, User];
}
