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

/// <summary>
/// The user's own password (Security tab, and the forced change of a first password) and preferred language; the
/// Basic tab is <see cref="BasicSettingsService"/>.
/// </summary>
public sealed class AccountSettingsService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    SessionService sessions,
    SessionGuard guard,
    ReVerificationPolicy policy,
    FailedProofs failures,
    PasswordRating rating,
    Notifications.SecurityNotifier notifier,
    ILogger<AccountSettingsService> logger)
{
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
        // Rated once: Identity's validator below finds this rating (PasswordRating) instead of running the estimator again.
        using var rated = rating.Rate(newPassword, user);
        if (rated.Problem == PasswordProblem.TooWeak)
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
        await sessions.FollowNewStampAsync(userId, currentSessionId, user.SecurityStamp!, signOutOtherDevices, CancellationToken.None);
        logger.LogInformation("User {UserId} changed their password (other devices signed out: {SignedOut})", userId, signOutOtherDevices);
        await notifier.NotifyAsync(userId, Notifications.SecurityEvent.PasswordChanged, await notifier.OriginOfSessionAsync(currentSessionId));
        return SettingsError.None;
    }
}
