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

    /// <summary>Every key this class writes, so the console's texts can be checked against it.</summary>
    public static readonly IReadOnlyList<string> AllKeys =
    [
        "step-failed", "step-locked-until", "step-locked", "step-refused", "unknown-user", "sign-in-method", "backup-codes-left",
        "basic-settings", "address-confirmed", "address-code-voided", "address-code-failed", "device-ended", "other-devices-ended",
        "staff-2fa-reset", "staff-email-verification-off", "staff-2fa-enforced", "staff-2fa-not-enforced", "staff-sessions-ended",
        "staff-unlocked", "staff-counts-reset", "staff-email-changed", "staff-profile-edited", "staff-roles", "staff-created",
        "staff-refused",
    ];

    public static AuditDetail StepFailed(string step, string budget) => new("step-failed", [step, budget], $"{step}; {budget}");

    /// <summary>A wrong secret that locked <paramref name="budget"/>; <paramref name="until"/> null = until unlocked.</summary>
    public static AuditDetail StepLocked(string step, string budget, DateTime? until) => until is { } end
        ? new("step-locked-until", [step, budget, Stamp(end)], $"{step}; {budget} locked until {Stamp(end)}")
        : new("step-locked", [step, budget], $"{step}; {budget} locked until unlocked");

    public static AuditDetail StepRefused(string step) => new("step-refused", [step], $"{step}: refused while locked out");

    public static AuditDetail UnknownUser(string step) => new("unknown-user", [step], $"{step}; unknown user name or unusable input");

    public static AuditDetail SignInMethod(string method) => new("sign-in-method", [method], method);

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
