using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.Accounts;

/// <summary>
/// The first administrator's generated password was written to the log, so whoever read the log could sign in with
/// it. Such an account (<see cref="ConsoleUser.MustChangePassword"/>) reaches nothing but the change-password page
/// until its password has been changed; only a successful change (<see cref="Settings.AccountSettingsService.ChangePasswordAsync"/>,
/// or the command line's <c>set-password</c>) clears the flag. Guards of pages and Core calls ask
/// <see cref="MustChangePasswordAsync"/>.
/// </summary>
public sealed class PasswordChangeRequirement(ConsoleDbContext db)
{
    /// <summary>True while <paramref name="userId"/> must replace a generated password before doing anything else.</summary>
    public Task<bool> MustChangePasswordAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.MustChangePassword, cancellationToken);

    /// <summary>Called after a password change has succeeded, never before.</summary>
    internal static Task<int> ClearAsync(ConsoleDbContext db, string userId) =>
        db.Users.Where(u => u.Id == userId && u.MustChangePassword)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.MustChangePassword, false));
}
