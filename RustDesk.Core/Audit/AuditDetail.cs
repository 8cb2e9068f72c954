using System.Globalization;

namespace RustDesk.Core.Audit;

/// <summary>
/// An audit row's detail as a stable <see cref="Key"/> with arguments, which the console renders as readable text in
/// the reader's language (resource <c>Audit.Detail.{Key}</c>; an argument that names a resource <c>Audit.Arg.{arg}</c>
/// is translated too), and the English <see cref="Text"/> kept in <see cref="AuditEvent.Detail"/> for searches, exports
/// and rows written before details had keys. A plain string converts to a detail without a key, shown as written.
/// </summary>
public sealed record AuditDetail(string? Key, IReadOnlyList<string> Args, string Text)
{
    public static implicit operator AuditDetail?(string? text) => text is null ? null : new(null, [], text);
}

/// <summary>The structured details the console writes; each keeps the English text the log always had.</summary>
public static class AuditDetails
{
    /// <summary>Budget names, as arguments of the failed-step details.</summary>
    public const string TrustedDeviceBudget = "trusted device";
    public const string UnknownClientsBudget = "unknown clients";

    /// <summary>Why staff were refused, as the second argument of <see cref="StaffRefused"/>.</summary>
    public const string RefusedUnknownUserId = "unknown user id";
    public const string RefusedNotPermitted = "not permitted";
    public const string RefusedActorWithoutTwoFactor = "actor without 2FA";

    /// <summary>The alarms <see cref="Alarm"/> names.</summary>
    public const string AlarmConsecutive = "consecutive";
    public const string AlarmPerMinute = "per-minute";
    public const string AlarmPerHour = "per-hour";

    /// <summary>Every key this class writes, so the console's texts can be checked against it.</summary>
    public static readonly IReadOnlyList<string> AllKeys =
    [
        "step-failed", "step-locked-until", "step-locked", "step-refused", "unknown-user", "sign-in-method", "backup-codes-left",
        "basic-settings", "address-confirmed", "address-code-voided", "address-code-failed", "device-ended", "other-devices-ended",
        "staff-2fa-reset", "staff-email-verification-off", "staff-2fa-enforced", "staff-2fa-not-enforced", "staff-sessions-ended",
        "staff-unlocked", "staff-counts-reset", "staff-email-changed", "staff-profile-edited", "staff-roles", "staff-created",
        "staff-refused", "step-failed-reason", "step-locked-reason-until", "step-locked-reason", "account-disabled", "unknown-passkey",
        "client-sign-in", "passkey-name", "passkey-new-name", "passkey-clone", "alarm-consecutive", "alarm-per-minute", "alarm-per-hour",
        "recovery-2fa-removed", "recovery-2fa-was-off", "recovery-email-verification-off", "recovery-email-verification-was-off",
        "recovery-password-set", "recovery-users-listed", "recovery-unknown-user", "recovery-usage",
    ];

    /// <summary>
    /// The keys whose first argument is a name someone chose (a passkey's name, a command typed on the command line):
    /// shown as written, never looked up as a translatable word.
    /// </summary>
    public static readonly IReadOnlySet<string> KeysWithLiteralFirstArgument =
        new HashSet<string>(StringComparer.Ordinal) { "passkey-name", "passkey-new-name", "passkey-clone", "recovery-usage" };

    /// <summary>A wrong secret of <paramref name="step"/>; <paramref name="reason"/> says why a passkey was refused (null for a typed secret).</summary>
    public static AuditDetail StepFailed(string step, string budget, string? reason = null) => reason is null
        ? new("step-failed", [step, budget], $"{step}; {budget}")
        : new("step-failed-reason", [step, reason, budget], $"{step}: {reason}; {budget}");

    /// <summary>A wrong secret that locked <paramref name="budget"/>; <paramref name="until"/> null = until unlocked.</summary>
    public static AuditDetail StepLocked(string step, string budget, DateTime? until, string? reason = null) => (until, reason) switch
    {
        ({ } end, null) => new("step-locked-until", [step, budget, Stamp(end)], $"{step}; {budget} locked until {Stamp(end)}"),
        (null, null) => new("step-locked", [step, budget], $"{step}; {budget} locked until unlocked"),
        ({ } end, _) => new("step-locked-reason-until", [step, reason, budget, Stamp(end)], $"{step}: {reason}; {budget} locked until {Stamp(end)}"),
        (null, _) => new("step-locked-reason", [step, reason, budget], $"{step}: {reason}; {budget} locked until unlocked"),
    };

    public static AuditDetail StepRefused(string step) => new("step-refused", [step], $"{step}: refused while locked out");

    public static AuditDetail UnknownUser(string step) => new("unknown-user", [step], $"{step}; unknown user name or unusable input");

    /// <summary>The right secret for <paramref name="step"/>, but the account is disabled.</summary>
    public static AuditDetail AccountDisabled(string step) => new("account-disabled", [step], $"{step}; account disabled");

    /// <summary>A passwordless sign-in with a passkey no account has (or input that names none).</summary>
    public static AuditDetail UnknownPasskey(string step) => new("unknown-passkey", [step], $"{step}; unknown passkey or unusable input");

    /// <summary>How a sign-in (or a re-verification) succeeded: one of <see cref="SignInMethods"/>.</summary>
    public static AuditDetail SignInMethod(string method) => new("sign-in-method", [method], method);

    /// <summary>A RustDesk client signed in through the API, with one of <see cref="SignInMethods"/>.</summary>
    public static AuditDetail ClientSignIn(string method) => new("client-sign-in", [method], "RustDesk client: " + method);

    /// <summary>A passkey registered or removed, by its name.</summary>
    public static AuditDetail Passkey(string name) => new("passkey-name", [name], $"passkey \"{name}\"");

    /// <summary>A passkey renamed, by its new name.</summary>
    public static AuditDetail PasskeyRenamed(string newName) => new("passkey-new-name", [newName], $"passkey \"{newName}\"");

    /// <summary>A passkey whose signature counter did not grow beyond <paramref name="storedCount"/>.</summary>
    public static AuditDetail PasskeyClone(string name, long storedCount) =>
        new("passkey-clone", [name, storedCount.ToString(CultureInfo.InvariantCulture)],
            $"possible cloned passkey \"{name}\": signature counter did not grow (stored {storedCount})");

    /// <summary>
    /// An alarm (<see cref="AlarmConsecutive"/>, <see cref="AlarmPerMinute"/>, <see cref="AlarmPerHour"/>) and the failed
    /// attempts that raised it. The text stays "alarm NAME": it is what keeps a repeated alarm quiet.
    /// </summary>
    public static AuditDetail Alarm(string alarm, int failures) =>
        new("alarm-" + alarm, [failures.ToString(CultureInfo.InvariantCulture)], AlarmText(alarm));

    /// <summary>The stored text of an alarm's detail, which the quiet period compares.</summary>
    public static string AlarmText(string alarm) => "alarm " + alarm;

    public static AuditDetail RecoveryTwoFactorReset(bool removed) => removed
        ? new("recovery-2fa-removed", [], "2FA removed")
        : new("recovery-2fa-was-off", [], "2FA was not enabled");

    public static AuditDetail RecoveryEmailVerificationReset(bool wasOn) => wasOn
        ? new("recovery-email-verification-off", [], "email login verification turned off")
        : new("recovery-email-verification-was-off", [], "email login verification was off");

    public static AuditDetail RecoveryPasswordSet() => new("recovery-password-set", [], "password set, lockout lifted, sessions ended");

    public static AuditDetail RecoveryUsersListed(int count) =>
        new("recovery-users-listed", [count.ToString(CultureInfo.InvariantCulture)], $"{count} users");

    /// <summary>A command-line action (<paramref name="kind"/>, one of <see cref="AuditKinds"/>) for a user name no account has.</summary>
    public static AuditDetail RecoveryUnknownUser(string kind) => new("recovery-unknown-user", [kind], $"{kind}: unknown user");

    /// <summary>A command line with missing or extra arguments; <paramref name="command"/> as typed.</summary>
    public static AuditDetail RecoveryUsage(string command) => new("recovery-usage", [command], $"{command}: missing or extra arguments");

    public static AuditDetail BackupCodesLeft(int count) =>
        new("backup-codes-left", [count.ToString(CultureInfo.InvariantCulture)], $"remaining: {count}");

    public static AuditDetail BasicSettings(bool emailChanged, bool emailVerification, bool alarmNotification) =>
        new("basic-settings", [emailChanged ? "changed" : "unchanged", OnOff(emailVerification), OnOff(alarmNotification)],
            $"email changed: {emailChanged}; email verification: {emailVerification}; alarm notification: {alarmNotification}");

    public static AuditDetail AddressConfirmed(bool emailVerification) =>
        new("address-confirmed", [OnOff(emailVerification)], $"new address confirmed with the emailed code; email verification: {emailVerification}");

    public static AuditDetail AddressCodeFailed(bool voided) => voided
        ? new("address-code-voided", [], "address-confirmation code; wrong, request voided")
        : new("address-code-failed", [], "address-confirmation code; wrong");

    public static AuditDetail OneDeviceEnded() => new("device-ended", [], "one device");

    public static AuditDetail OtherDevicesEnded(int count) =>
        new("other-devices-ended", [count.ToString(CultureInfo.InvariantCulture)], $"{count} other devices");

    /// <summary>A staff action's outcome: <paramref name="key"/> names it, <paramref name="text"/> is the English.</summary>
    public static AuditDetail Staff(string key, string text, params string[] args) => new("staff-" + key, args, text);

    public static AuditDetail StaffRefused(string kind, string why) => new("staff-refused", [kind, why], $"{kind}: {why}");

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>How a sign-in step was passed, as the argument of <see cref="AuditDetails.SignInMethod"/> and <see cref="AuditDetails.ClientSignIn"/>.</summary>
public static class SignInMethods
{
    public const string Password = "password";
    public const string Totp = "TOTP";
    public const string BackupCode = "backup code";
    public const string EmailedCode = "emailed code";
    public const string Passkey = "passkey";
}

/// <summary>The sign-in steps failures are audited under (the steps of a signed-in session are <c>ReVerification.ProofSteps</c>).</summary>
public static class SignInSteps
{
    public const string Password = "password step";
    public const string Totp = "TOTP step";
    public const string BackupCode = "backup-code step";
    public const string EmailedCode = "emailed-code step";
    public const string Passkey = "passkey step";
    public const string Passwordless = "passkey sign-in";
}

/// <summary>The actor names of events no user did; the console shows them in the reader's language.</summary>
public static class AuditActors
{
    /// <summary>Failures for names that are no account (the typed name is never stored).</summary>
    public const string UnknownUserName = "(unknown user name)";

    /// <summary>The alarms.</summary>
    public const string System = "system";

    /// <summary>The recovery command line.</summary>
    public const string CommandLine = "command line";

    public static readonly IReadOnlyList<string> All = [UnknownUserName, System, CommandLine];
}
