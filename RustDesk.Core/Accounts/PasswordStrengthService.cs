using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.Accounts;

/// <summary>
/// The strength meters' view of <see cref="PasswordRules"/>: the same estimator and context words that decide
/// whether a password is accepted, so the meter never promises what the rule then refuses.
/// </summary>
public sealed class PasswordStrengthService(ConsoleDbContext db)
{
    /// <summary>A new password for an existing user (Security tab, first sign-in page): the user's own words are context.</summary>
    public async Task<PasswordVerdict> EvaluateForUserAsync(string userId, string? password, CancellationToken cancellationToken = default)
    {
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
