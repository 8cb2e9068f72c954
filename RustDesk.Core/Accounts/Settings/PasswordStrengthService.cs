using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.Accounts.Settings;

/// <summary>
/// The strength meters' view of <see cref="PasswordRules"/>: the same estimator and context words that decide
/// whether a password is accepted, so the meter never promises what the rule then refuses.
/// </summary>
public sealed class PasswordStrengthService(ConsoleDbContext db, Sessions.SessionGuard guard)
{
    /// <summary>
    /// A new password for the user of the calling page (Security tab, first sign-in page): the user's own words are
    /// context. Asked like the password change itself, so a page of an ended session learns nothing about the account.
    /// </summary>
    public async Task<PasswordVerdict> EvaluateForUserAsync(string userId, string? sessionId, string? password,
        CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, Sessions.SessionAccess.PasswordChange, cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            return PasswordVerdict.Empty;
        }
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.UserName, u.Email, u.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        return PasswordRules.Evaluate(password, user is null ? [] : [user.UserName, user.Email, user.DisplayName]);
    }

    /// <summary>A password for a user about to be created (the create-user dialog): what was typed for them is context.</summary>
    public Task<PasswordVerdict> EvaluateAsync(string? password, string? userName, string? email, string? displayName = null) =>
        Task.FromResult(string.IsNullOrEmpty(password) ? PasswordVerdict.Empty : PasswordRules.Evaluate(password, [userName, email, displayName]));
}
