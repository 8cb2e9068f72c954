using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;
using RustDesk.Core.ReVerification;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Accounts.Settings;

public enum SettingsError
{
    None,
    UserNotFound,
    EmailInvalid,
    EmailTaken,
    EmailNotProved,
    PasswordWrong,
    PasswordEmpty,
    PasswordTooShort,
    PasswordTooLong,
    PasswordControlCharacters,
    PasswordMismatch,
    PasswordSameAsCurrent,
    /// <summary>The new password is common, a pattern, or built from the user's or the product's name.</summary>
    PasswordTooWeak,
    /// <summary>The change needs a fresh re-verification (2FA code, or the password for email changes without 2FA).</summary>
    ReVerificationRequired,
    /// <summary>The account is locked out (this wrong current password locked it, or it already was); the session was ended.</summary>
    LockedOut,
    /// <summary>The session is gone (revoked, expired, ended by a lockout) or not this user's.</summary>
    SessionEnded,
}

/// <summary>The answer to a settings change; a bare <see cref="SettingsError"/> converts to it.</summary>
public sealed record SettingsResult(SettingsError Error) : IProtectedChangeResult
{
    public bool ReVerificationRequired => Error == SettingsError.ReVerificationRequired;

    public static implicit operator SettingsResult(SettingsError error) => new(error);
}

/// <summary>What the Basic tab shows.</summary>
public sealed record BasicSettings(string UserName, string? Email, bool AlarmNotificationEnabled, bool EmailLoginVerification, IReadOnlyList<string> Roles);

/// <summary>The user's own account settings (Basic and Security tabs).</summary>
public sealed class AccountSettingsService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    SessionService sessions,
    SessionGuard guard,
    ReVerificationPolicy policy,
    FailedProofs failures,
    Notifications.SecurityNotifier notifier,
    Audit.AuditLog audit,
    ILogger<AccountSettingsService> logger)
{
    public async Task<BasicSettings?> GetBasicAsync(string userId, string? sessionId)
    {
        await guard.RequireAsync(userId, sessionId);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return null;
        }
        var roles = await users.GetRolesAsync(user);
        return new BasicSettings(user.UserName ?? "", user.Email, user.AlarmNotificationEnabled, user.EmailLoginVerification,
            roles.OrderBy(r => Roles.All.ToList().IndexOf(r)).ToList());
    }

    /// <summary>
    /// Saves email, alarm notification and (when given) email login verification together, or nothing. Callers that
    /// turn email verification on go through <see cref="EmailVerification.EmailAddressChangeService"/>, which proves
    /// the address first.
    /// </summary>
    public async Task<SettingsResult> UpdateBasicAsync(string userId, string? sessionId, string? email, bool? alarmNotification,
        bool? emailVerification = null)
    {
        await guard.RequireAsync(userId, sessionId);
        if (!TryNormalizeEmail(email, out var normalizedEmail))
        {
            return SettingsError.EmailInvalid;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return SettingsError.UserNotFound;
        }
        var decision = await policy.DecideAsync(userId, sessionId, BasicChanges(user, normalizedEmail, alarmNotification, emailVerification));
        if (decision.ReVerificationRequired)
        {
            return SettingsError.ReVerificationRequired;
        }
        if (await IsEmailTakenAsync(userId, normalizedEmail))
        {
            return SettingsError.EmailTaken;
        }
        return await WriteBasicAsync(user, normalizedEmail, alarmNotification, emailVerification, addressProved: false, sessionId);
    }

    /// <summary>
    /// The one check of a Basic-tab address: trimmed, blank = none (<paramref name="normalized"/> null), else it must
    /// pass <see cref="EmailRules.IsValid"/>. Every save of the tab runs it once, before anything else.
    /// </summary>
    internal static bool TryNormalizeEmail(string? email, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        return normalized is null || EmailRules.IsValid(normalized);
    }

    /// <summary>Whether another user holds <paramref name="email"/> (any case). The unique index still catches a race.</summary>
    internal async Task<bool> IsEmailTakenAsync(string userId, string? email, CancellationToken cancellationToken = default)
    {
        if (email is null)
        {
            return false;
        }
        var normalized = users.NormalizeEmail(email);
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalized && u.Id != userId, cancellationToken);
    }

    /// <summary>The protected changes one submission of the Basic tab makes (see <see cref="ReVerificationPolicy.Rules"/>).</summary>
    internal static IReadOnlyCollection<ProtectedChange> BasicChanges(ConsoleUser user, string? email, bool? alarmNotification,
        bool? emailVerification)
    {
        var changes = new List<ProtectedChange>();
        if (!string.Equals(user.Email ?? "", email ?? "", StringComparison.Ordinal))
        {
            changes.Add(ProtectedChange.ChangeEmail);
        }
        if (alarmNotification is { } alarm && alarm != user.AlarmNotificationEnabled)
        {
            changes.Add(ProtectedChange.AlarmSetting);
        }
        if (emailVerification == true
            && (!user.EmailLoginVerification || !string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            // Turning it on, or moving it to another address: the new address must be proved.
            changes.Add(ProtectedChange.TurnEmailVerificationOn);
        }
        if (emailVerification == false && user.EmailLoginVerification)
        {
            changes.Add(ProtectedChange.TurnEmailVerificationOff);
        }
        return changes;
    }

    /// <summary>
    /// Writes a Basic-tab save that its caller has checked: <paramref name="email"/> came through
    /// <see cref="TryNormalizeEmail"/>, the caller asked <see cref="IsEmailTakenAsync"/> and the re-verification policy,
    /// and <paramref name="user"/> is tracked by this scope. Nothing is checked twice here; a race for the address
    /// is caught by the unique index. <paramref name="addressProved"/>: the user entered the code sent to <paramref name="email"/>.
    /// </summary>
    internal async Task<SettingsError> WriteBasicAsync(ConsoleUser user, string? email, bool? alarmNotification,
        bool? emailVerification, bool addressProved, string? sessionId)
    {
        var userId = user.Id;
        var emailChanged = !string.Equals(user.Email, email, StringComparison.Ordinal);
        if (emailVerification == true && !addressProved && (!user.EmailLoginVerification || emailChanged))
        {
            // Turning verification on, or moving it to another address, needs the code sent there first.
            return SettingsError.EmailNotProved;
        }
        user.Email = email;
        user.NormalizedEmail = users.NormalizeEmail(email);
        if (emailChanged)
        {
            user.EmailConfirmed = false;
        }
        if (addressProved)
        {
            user.EmailConfirmed = true;
        }
        if (alarmNotification is { } alarm)
        {
            user.AlarmNotificationEnabled = alarm;
        }
        if (emailVerification is { } verification)
        {
            // Verification without an address would lock the user out at the next sign-in.
            user.EmailLoginVerification = verification && email is not null;
        }
        else if (email is null)
        {
            user.EmailLoginVerification = false;
        }
        try
        {
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded)
            {
                return result.Errors.Any(e => e.Code.Contains("Email", StringComparison.Ordinal))
                    ? SettingsError.EmailTaken : SettingsError.EmailInvalid;
            }
        }
        catch (DbUpdateException)
        {
            // The unique index caught a race with another user taking the same address.
            return SettingsError.EmailTaken;
        }
        logger.LogInformation("User {UserId} updated basic settings (email changed: {EmailChanged})", userId, emailChanged);
        var origin = await notifier.OriginOfSessionAsync(sessionId);
        await audit.AppendAsync(Audit.AuditKinds.SettingsChanged, userId, user.UserName ?? "", userId, user.UserName,
            addressProved
                ? Audit.AuditDetails.AddressConfirmed(user.EmailLoginVerification)
                : Audit.AuditDetails.BasicSettings(emailChanged, user.EmailLoginVerification, user.AlarmNotificationEnabled),
            origin.IpAddress, origin.UserAgent);
        return SettingsError.None;
    }

    /// <summary>Remembers the language the user chose, for the emails the console sends them.</summary>
    public async Task SetPreferredCultureAsync(string userId, string culture) =>
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PreferredCulture, culture.Length <= 10 ? culture : culture[..10]));

    /// <summary>
    /// Changes the password after checking the current one (a wrong one is a counted guess, <see cref="FailedProofs"/>).
    /// The security stamp changes, so every other session of the user ends; the calling session is moved to the new
    /// stamp and stays signed in.
    /// </summary>
    public async Task<SettingsResult> ChangePasswordAsync(string userId, string? currentSessionId,
        string? currentPassword, string? newPassword, string? confirmPassword, bool signOutOtherDevices = true)
    {
        if (!await guard.IsOpenAsync(userId, currentSessionId, SessionAccess.PasswordChange))
        {
            return SettingsError.SessionEnded;
        }
        var problem = PasswordRules.Check(newPassword);
        if (problem is not null)
        {
            return problem switch
            {
                PasswordProblem.Empty => SettingsError.PasswordEmpty,
                PasswordProblem.TooShort => SettingsError.PasswordTooShort,
                PasswordProblem.TooLong => SettingsError.PasswordTooLong,
                _ => SettingsError.PasswordControlCharacters,
            };
        }
        if (!string.Equals(newPassword, confirmPassword, StringComparison.Ordinal))
        {
            return SettingsError.PasswordMismatch;
        }
        if (string.IsNullOrEmpty(currentPassword) || currentPassword.Length > PasswordRules.MaxLength * 4)
        {
            return SettingsError.PasswordWrong;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return SettingsError.UserNotFound;
        }
        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            return SettingsError.PasswordSameAsCurrent;
        }
        if (PasswordRules.Check(newPassword, user) == PasswordProblem.TooWeak)
        {
            return SettingsError.PasswordTooWeak;
        }
        // The current password is checked below in any case; with 2FA on a second-factor grant is needed too.
        if ((await policy.DecideAsync(userId, currentSessionId, ProtectedChange.ChangePassword)).ReVerificationRequired)
        {
            return SettingsError.ReVerificationRequired;
        }
        if (await failures.BeginAsync(user, currentSessionId, ProofSteps.PasswordChange) is not { } attempt)
        {
            return SettingsError.LockedOut;
        }
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword!);
        if (!result.Succeeded)
        {
            logger.LogWarning("Password change refused for user {UserId}: {Errors}", userId, string.Join(",", result.Errors.Select(e => e.Code)));
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                return await failures.FailedAsync(attempt) ? SettingsError.LockedOut : SettingsError.PasswordWrong;
            }
            await failures.SucceededAsync(attempt);
            return result.Errors.Any(e => e.Code == "Password" + PasswordProblem.TooWeak) ? SettingsError.PasswordTooWeak
                : SettingsError.PasswordTooShort;
        }
        await failures.SucceededAsync(attempt);
        await PasswordChangeRequirement.ClearAsync(db, userId);
        if (signOutOtherDevices)
        {
            await sessions.KeepOnlyCurrentAsync(userId, currentSessionId, user.SecurityStamp!, CancellationToken.None);
        }
        else
        {
            await sessions.MoveAllToStampAsync(userId, user.SecurityStamp!, CancellationToken.None);
        }
        logger.LogInformation("User {UserId} changed their password (other devices signed out: {SignedOut})", userId, signOutOtherDevices);
        await notifier.NotifyAsync(userId, Notifications.SecurityEvent.PasswordChanged, await notifier.OriginOfSessionAsync(currentSessionId));
        return SettingsError.None;
    }
}
