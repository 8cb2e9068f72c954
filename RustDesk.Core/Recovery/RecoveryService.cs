using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;

namespace RustDesk.Core.Recovery;

public enum RecoveryStatus
{
    Done,
    UnknownUser,
    /// <summary>The password breaks the password rules; the detail names the <see cref="PasswordProblem"/>.</summary>
    PasswordRejected,
    /// <summary>Nothing to reset.</summary>
    NothingToDo,
}

public sealed record RecoveryResult(RecoveryStatus Status, string? Detail = null);

public sealed record UserListEntry(string UserName, string? Email, string Roles, bool TwoFactor, bool EmailVerification, UserStatus Status, bool LockedOut);

/// <summary>
/// The way back for a locked-out administrator, run from the command line on the console's own configuration and
/// database (see RustDesk.Web/Hosting/RecoveryCommandLine). Every action signs the user's sessions out and is
/// written to the audit log with the actor "command line".
/// </summary>
public sealed class RecoveryService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    AuditLog audit,
    Sessions.SessionService sessions,
    PasswordRating rating,
    TimeProvider time,
    ILogger<RecoveryService> logger)
{
    public async Task<RecoveryResult> ResetTwoFactorAsync(string? userName, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, AuditKinds.RecoveryResetTwoFactor, cancellationToken);
        if (user is null)
        {
            return new(RecoveryStatus.UnknownUser);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await TwoFactor.TwoFactorRemoval.RemoveAllAsync(db, user.Id, cancellationToken);
        await sessions.SignOutEverywhereAsync(user, cancellationToken);
        await audit.AppendAsync(AuditKinds.RecoveryResetTwoFactor, null, AuditLog.CommandLineActor, user.Id, user.UserName,
            AuditDetails.RecoveryTwoFactorReset(removed > 0), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogWarning("Command line: reset 2FA of user {UserId}", user.Id);
        return new(removed > 0 ? RecoveryStatus.Done : RecoveryStatus.NothingToDo);
    }

    public async Task<RecoveryResult> ResetEmailVerificationAsync(string? userName, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, AuditKinds.RecoveryResetEmailVerification, cancellationToken);
        if (user is null)
        {
            return new(RecoveryStatus.UnknownUser);
        }
        var wasOn = user.EmailLoginVerification;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailLoginVerification, false), cancellationToken);
        await db.EmailChangeRequests.Where(r => r.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.PendingSignIns.Where(p => p.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await audit.AppendAsync(AuditKinds.RecoveryResetEmailVerification, null, AuditLog.CommandLineActor, user.Id, user.UserName,
            AuditDetails.RecoveryEmailVerificationReset(wasOn), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogWarning("Command line: reset email login verification of user {UserId}", user.Id);
        return new(wasOn ? RecoveryStatus.Done : RecoveryStatus.NothingToDo);
    }

    /// <summary>Sets a new password (NIST rules), lifts a lockout and signs the user out everywhere.</summary>
    public async Task<RecoveryResult> SetPasswordAsync(string? userName, string? password, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userName, AuditKinds.RecoverySetPassword, cancellationToken);
        if (user is null)
        {
            return new(RecoveryStatus.UnknownUser);
        }
        // Rated once: Identity's validator in ResetPasswordAsync finds this rating (PasswordRating).
        using var rated = rating.Rate(password, user);
        if (rated.Problem is { } problem)
        {
            return new(RecoveryStatus.PasswordRejected, problem.ToString());
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password!);
        if (!result.Succeeded)
        {
            return new(RecoveryStatus.PasswordRejected, string.Join(", ", result.Errors.Select(e => e.Code)));
        }
        await Authentication.Lockout.SignInBudget.LiftAsync(db, user.Id, cancellationToken);
        // The operator chose this password, so it need not be changed at the next sign-in.
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.MustChangePassword, false), cancellationToken);
        await sessions.EndAllAsync(user.Id, cancellationToken);
        await audit.AppendAsync(AuditKinds.RecoverySetPassword, null, AuditLog.CommandLineActor, user.Id, user.UserName,
            AuditDetails.RecoveryPasswordSet(), cancellationToken: cancellationToken);
        logger.LogWarning("Command line: set the password of user {UserId}", user.Id);
        return new(RecoveryStatus.Done);
    }

    public async Task<IReadOnlyList<UserListEntry>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName)
            .Select(u => new
            {
                u.UserName,
                u.Email,
                u.EmailLoginVerification,
                u.Status,
                u.LockedOutUntil,
                TwoFactor = db.UserIdsWithTwoFactor().Contains(u.Id),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
            })
            .ToListAsync(cancellationToken);
        await audit.AppendAsync(AuditKinds.RecoveryListUsers, null, AuditLog.CommandLineActor, detail: AuditDetails.RecoveryUsersListed(rows.Count),
            cancellationToken: cancellationToken);
        return rows.Select(r => new UserListEntry(r.UserName ?? "", r.Email, string.Join(",", r.Roles), r.TwoFactor,
            r.EmailLoginVerification, r.Status, r.LockedOutUntil is { } end && end > now.UtcDateTime)).ToList();
    }

    private async Task<ConsoleUser?> FindAsync(string? userName, string kind, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(userName) || userName.Length > 256 ? null : await users.FindByNameAsync(userName);
        if (user is null)
        {
            await audit.AppendAsync(AuditKinds.RecoveryRefused, null, AuditLog.CommandLineActor,
                detail: AuditDetails.RecoveryUnknownUser(kind), cancellationToken: cancellationToken);
        }
        return user;
    }

}
