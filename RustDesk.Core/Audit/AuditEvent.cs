namespace RustDesk.Core.Audit;

/// <summary>
/// One line of the audit log. The application only ever appends, with one exception: an aggregate row (failed
/// sign-ins for unknown user names, or attempts refused while locked out, per IP address and minute) has its
/// <see cref="Count"/> raised instead of a new row per attempt. Nothing deletes a row.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>What happened, as a stable dotted name (see <see cref="AuditKinds"/>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>Who did it: a user id, or null for the command line and the system.</summary>
    public string? ActorUserId { get; set; }

    /// <summary>The actor's name as it was then (or "command line").</summary>
    public string ActorName { get; set; } = "";

    public string? TargetUserId { get; set; }

    public string? TargetName { get; set; }

    public string IpAddress { get; set; } = "";

    public string UserAgent { get; set; } = "";

    /// <summary>Extra facts, never a secret.</summary>
    public string Detail { get; set; } = "";

    /// <summary>The key of a structured detail (<see cref="AuditDetail"/>), rendered localized; null for free text and older rows.</summary>
    public string? DetailKey { get; set; }

    /// <summary>The structured detail's arguments as a JSON array of strings; null without a key.</summary>
    public string? DetailArgs { get; set; }

    /// <summary>How many occurrences this row stands for: 1, or more for an aggregate row.</summary>
    public int Count { get; set; } = 1;

    /// <summary>For an aggregate row: SHA-256 (hex) of kind, group and minute, unique, so that parallel attempts raise one row.</summary>
    public string? AggregateKey { get; set; }

    public const int MaxDetailLength = 1000;

    public const int MaxDetailKeyLength = 64;

    /// <summary>The detail's arguments, empty for free text or arguments that could not be read.</summary>
    public IReadOnlyList<string> DetailArguments()
    {
        if (string.IsNullOrEmpty(DetailArgs))
        {
            return [];
        }
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(DetailArgs) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}

public static class AuditKinds
{
    public const string SignInSucceeded = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";
    public const string SignInLockedOut = "sign-in.locked-out";
    public const string TwoFactorEnabled = "2fa.enabled";
    public const string TwoFactorRenewed = "2fa.renewed";
    public const string TwoFactorDisabled = "2fa.disabled";
    public const string BackupCodesGenerated = "2fa.backup-codes-generated";
    public const string BackupCodeUsed = "2fa.backup-code-used";
    public const string TotpReplayRefused = "2fa.replay-refused";
    public const string PasskeyRegistered = "2fa.passkey-registered";
    public const string PasskeyRenamed = "2fa.passkey-renamed";
    public const string PasskeyRemoved = "2fa.passkey-removed";
    public const string PasskeyCloneSuspected = "2fa.passkey-clone-suspected";
    public const string ReVerified = "reverification.succeeded";
    public const string ReVerificationFailed = "reverification.failed";
    public const string SettingsChanged = "settings.changed";
    public const string AddressCodeFailed = "settings.address-code-failed";
    public const string PasswordChanged = "settings.password-changed";
    public const string DeviceSignedOut = "session.revoked";
    public const string StaffResetTwoFactor = "staff.reset-2fa";
    public const string StaffDisableEmailVerification = "staff.disable-email-verification";
    public const string StaffEnforceTwoFactor = "staff.enforce-2fa";
    public const string StaffStopEnforcingTwoFactor = "staff.stop-enforcing-2fa";
    public const string StaffForceLogout = "staff.force-logout";
    public const string StaffEditEmail = "staff.edit-email";
    public const string StaffCreateUser = "staff.create-user";
    public const string StaffChangeRoles = "staff.change-roles";
    public const string StaffEditProfile = "staff.edit-profile";
    public const string StaffUnlockAccount = "staff.unlock-account";
    public const string StaffRefused = "staff.refused";
    public const string AlarmRaised = "alarm.raised";
    public const string InvitationAccepted = "settings.invitation-accepted";
    public const string RecoveryResetTwoFactor = "recovery.reset-2fa";
    public const string RecoveryResetEmailVerification = "recovery.reset-email-verification";
    public const string RecoverySetPassword = "recovery.set-password";
    public const string RecoveryListUsers = "recovery.list-users";
    public const string RecoveryRefused = "recovery.refused";
}
