using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.Notifications;
using RustDesk.Core.ReVerification;

namespace RustDesk.Core.Administration;

public enum StaffResult
{
    Done,
    /// <summary>The actor may not do this to this user (role, administrator target, or their own account).</summary>
    Forbidden,
    TargetNotFound,
    /// <summary>Staff acting on others must have 2FA on themselves.</summary>
    ActorNeedsTwoFactor,
    ReVerificationRequired,
    InvalidInput,
    Conflict,
    /// <summary>The initial password is common, a pattern, or built from the user's or the product's name.</summary>
    PasswordTooWeak,
    /// <summary>Invitations need <c>Console:PublicBaseUrl</c>, which an administrator has not set.</summary>
    PublicBaseUrlMissing,
}

/// <summary>The answer to a staff action; <paramref name="UserId"/> is the created user's. A bare <see cref="StaffResult"/>,
/// or a (result, user id) pair, converts to it.</summary>
public sealed record StaffActionResult(StaffResult Result, string? UserId = null) : IProtectedChangeResult
{
    public bool ReVerificationRequired => Result == StaffResult.ReVerificationRequired;

    public static implicit operator StaffActionResult(StaffResult result) => new(result);

    public static implicit operator StaffActionResult((StaffResult Result, string? UserId) pair) => new(pair.Result, pair.UserId);
}

/// <summary>
/// Staff actions on other users' accounts. Every action checks that the actor's session is still valid
/// (<see cref="Sessions.SessionGuard"/>), <see cref="StaffPermissions"/>, and what <see cref="ReVerificationPolicy"/>
/// asks (2FA on and a fresh re-verification of the actor's session), and is written to the audit log with actor and
/// target, refusals included.
/// </summary>
public sealed class UserAdministrationService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    Sessions.SessionGuard guard,
    ReVerificationPolicy policy,
    SecurityNotifier notifier,
    AuditLog audit,
    Sessions.SessionService sessions,
    PasswordRating rating,
    TimeProvider time,
    ILogger<UserAdministrationService> logger)
{
    public Task<StaffActionResult> ResetTwoFactorAsync(string actorId, string? actorSessionId, string targetId) =>
        ActAsync(actorId, actorSessionId, targetId, StaffAction.ResetTwoFactor, AuditKinds.StaffResetTwoFactor, async target =>
        {
            await TwoFactor.TwoFactorRemoval.RemoveAllAsync(db, target.Id);
            await sessions.SignOutEverywhereAsync(target);
            // The mail names the staff member's address and browser; the staff row below is the audit, not a "2FA disabled" by the user.
            await notifier.NotifyAsync(target.Id, SecurityEvent.TwoFactorDisabled, await notifier.OriginOfSessionAsync(actorSessionId), audited: false);
            return AuditDetails.Staff("2fa-reset", "2FA reset; sessions ended");
        });

    public Task<StaffActionResult> DisableEmailVerificationAsync(string actorId, string? actorSessionId, string targetId) =>
        ActAsync(actorId, actorSessionId, targetId, StaffAction.DisableEmailVerification, AuditKinds.StaffDisableEmailVerification, async target =>
        {
            await db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailLoginVerification, false));
            await db.PendingSignIns.Where(p => p.UserId == target.Id).ExecuteDeleteAsync();
            return AuditDetails.Staff("email-verification-off", "email login verification off");
        });

    public Task<StaffActionResult> SetTwoFactorEnforcedAsync(string actorId, string? actorSessionId, string targetId, bool enforced) =>
        ActAsync(actorId, actorSessionId, targetId, enforced ? StaffAction.EnforceTwoFactor : StaffAction.StopEnforcingTwoFactor,
            enforced ? AuditKinds.StaffEnforceTwoFactor : AuditKinds.StaffStopEnforcingTwoFactor, async target =>
            {
                await db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnforced, enforced));
                return enforced ? AuditDetails.Staff("2fa-enforced", "2FA enforced") : AuditDetails.Staff("2fa-not-enforced", "2FA no longer enforced");
            });

    public Task<StaffActionResult> ForceLogoutAsync(string actorId, string? actorSessionId, string targetId) =>
        ActAsync(actorId, actorSessionId, targetId, StaffAction.ForceLogout, AuditKinds.StaffForceLogout, async target =>
        {
            await sessions.SignOutEverywhereAsync(target);
            return AuditDetails.Staff("sessions-ended", "all sessions ended");
        });

    /// <summary>Lifts every lockout of the account (unknown clients and each device) and resets its consecutive-failure count.</summary>
    public Task<StaffActionResult> UnlockAccountAsync(string actorId, string? actorSessionId, string targetId) =>
        ActAsync(actorId, actorSessionId, targetId, StaffAction.UnlockAccount, AuditKinds.StaffUnlockAccount, async target =>
        {
            var was = target.LockedOutUntil is { } until && until > time.GetUtcNow().UtcDateTime;
            await Authentication.Lockout.SignInBudget.LiftAsync(db, target.Id);
            return was ? AuditDetails.Staff("unlocked", "lockout lifted") : AuditDetails.Staff("counts-reset", "was not locked; failure counts reset");
        });

    public async Task<StaffActionResult> UpdateEmailAsync(string actorId, string? actorSessionId, string targetId, string? email)
    {
        await guard.RequireAsync(actorId, actorSessionId);
        if (!EmailRules.TryNormalize(email, out var address))
        {
            return StaffResult.InvalidInput;
        }
        return await ActInOpenSessionAsync(actorId, actorSessionId, targetId, StaffAction.EditEmail, AuditKinds.StaffEditEmail, async target =>
        {
            if (await EmailOwnership.IsTakenByAnotherAsync(db, users, address, target.Id))
            {
                return null;
            }
            var normalized = users.NormalizeEmail(address);
            await db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Email, address)
                .SetProperty(x => x.NormalizedEmail, normalized)
                .SetProperty(x => x.EmailConfirmed, false)
                // Codes must not go to an address the user has not proved; they turn verification on again themselves.
                .SetProperty(x => x.EmailLoginVerification, false));
            return AuditDetails.Staff("email-changed", "email changed");
        });
    }

    public async Task<StaffActionResult> UpdateProfileAsync(string actorId, string? actorSessionId, string targetId, string? displayName,
        string? note, UserStatus status)
    {
        await guard.RequireAsync(actorId, actorSessionId);
        if ((displayName?.Length ?? 0) > ConsoleUser.MaxDisplayNameLength || (note?.Length ?? 0) > ConsoleUser.MaxNoteLength
            || !Enum.IsDefined(status) || (displayName ?? "").Any(char.IsControl))
        {
            return StaffResult.InvalidInput;
        }
        return await ActInOpenSessionAsync(actorId, actorSessionId, targetId, StaffAction.EditProfile, AuditKinds.StaffEditProfile, async target =>
        {
            await db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.DisplayName, displayName ?? "")
                .SetProperty(x => x.Note, note ?? "")
                .SetProperty(x => x.Status, status));
            if (status == UserStatus.Disabled)
            {
                await sessions.EndAllAsync(target.Id);
            }
            return AuditDetails.Staff("profile-edited", $"profile edited; status {status}", status.ToString());
        });
    }

    public async Task<StaffActionResult> SetRolesAsync(string actorId, string? actorSessionId, string targetId, IReadOnlyCollection<string> roles)
    {
        await guard.RequireAsync(actorId, actorSessionId);
        if (roles.Count == 0 || roles.Any(r => !Roles.All.Contains(r)))
        {
            return StaffResult.InvalidInput;
        }
        return await ActInOpenSessionAsync(actorId, actorSessionId, targetId, StaffAction.ChangeRoles, AuditKinds.StaffChangeRoles, async target =>
        {
            var current = await users.GetRolesAsync(target);
            await users.RemoveFromRolesAsync(target, current.Except(roles));
            await users.AddToRolesAsync(target, roles.Except(current));
            await sessions.SignOutEverywhereAsync(target);
            return AuditDetails.Staff("roles", "roles: " + string.Join(",", roles), string.Join(", ", roles));
        });
    }

    /// <summary>Administrators create users with an initial password (NIST rules) and one role.</summary>
    public async Task<StaffActionResult> CreateUserAsync(string actorId, string? actorSessionId, string userName,
        string? email, string password, string role)
    {
        await guard.RequireAsync(actorId, actorSessionId);
        return await CreateUserInOpenSessionAsync(actorId, actorSessionId, userName, email, password, role);
    }

    /// <summary><see cref="CreateUserAsync"/> for a caller that has just checked the actor's session itself (the invitation).</summary>
    internal async Task<StaffActionResult> CreateUserInOpenSessionAsync(string actorId, string? actorSessionId, string userName,
        string? email, string password, string role)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > ConsoleUser.MaxUserNameLength || !Roles.All.Contains(role)
            || !EmailRules.TryNormalize(email, out var address) || PasswordRules.Check(password) is not null)
        {
            return (StaffResult.InvalidInput, null);
        }
        var user = new ConsoleUser { UserName = userName.Trim(), Email = address, CreatedAt = time.GetUtcNow().UtcDateTime };
        // Rated once, for the user as created: Identity's validator in CreateAsync finds this rating (PasswordRating).
        using var rated = rating.Rate(password, user);
        if (rated.Problem is not null)
        {
            return (StaffResult.PasswordTooWeak, null);
        }
        var (decision, actor, _) = await AuthorizeAsync(actorId, actorSessionId, null, StaffAction.CreateUser, AuditKinds.StaffCreateUser);
        if (decision != StaffResult.Done)
        {
            return (decision, null);
        }
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (created.Errors.Any(e => e.Code.Contains("Duplicate", StringComparison.Ordinal)) ? StaffResult.Conflict : StaffResult.InvalidInput, null);
        }
        await users.AddToRoleAsync(user, role);
        var origin = await notifier.OriginOfSessionAsync(actorSessionId);
        await audit.AppendAsync(AuditKinds.StaffCreateUser, actor!.Id, actor.UserName ?? "", user.Id, user.UserName,
            AuditDetails.Staff("created", "role " + role, role), origin.IpAddress, origin.UserAgent);
        return (StaffResult.Done, user.Id);
    }

    /// <summary>Checks the actor's session, then acts as <see cref="ActInOpenSessionAsync"/>.</summary>
    private async Task<StaffActionResult> ActAsync(string actorId, string? actorSessionId, string targetId, StaffAction action, string kind,
        Func<ConsoleUser, Task<AuditDetail?>> change)
    {
        await guard.RequireAsync(actorId, actorSessionId);
        return await ActInOpenSessionAsync(actorId, actorSessionId, targetId, action, kind, change);
    }

    /// <summary>
    /// Authorises (<see cref="AuthorizeAsync"/>), makes the change and audits it. The caller has checked the actor's
    /// session (<see cref="Sessions.SessionGuard.RequireAsync"/>) in this call, before reading its input.
    /// </summary>
    private async Task<StaffActionResult> ActInOpenSessionAsync(string actorId, string? actorSessionId, string targetId, StaffAction action,
        string kind, Func<ConsoleUser, Task<AuditDetail?>> change)
    {
        var (decision, actor, target) = await AuthorizeAsync(actorId, actorSessionId, targetId, action, kind);
        if (decision != StaffResult.Done)
        {
            return decision;
        }
        var detail = await change(target!);
        if (detail is null)
        {
            return StaffResult.Conflict;
        }
        var origin = await notifier.OriginOfSessionAsync(actorSessionId);
        await audit.AppendAsync(kind, actor!.Id, actor.UserName ?? "", target!.Id, target.UserName, detail, origin.IpAddress, origin.UserAgent);
        logger.LogInformation("Staff {ActorId} did {Action} on user {TargetId}", actor.Id, action, target.Id);
        return StaffResult.Done;
    }

    /// <summary>
    /// The actor (active), the role matrix, then the policy (the actor's own 2FA and re-verification); refusals are
    /// audited. Every caller has checked the actor's session (<see cref="Sessions.SessionGuard.RequireAsync"/>) first.
    /// </summary>
    private async Task<(StaffResult, ConsoleUser?, ConsoleUser?)> AuthorizeAsync(string actorId, string? actorSessionId, string? targetId,
        StaffAction action, string kind)
    {
        var actor = await users.FindByIdAsync(actorId);
        if (actor is null || actor.Status != UserStatus.Active)
        {
            return (StaffResult.Forbidden, null, null);
        }
        ConsoleUser? target = null;
        if (targetId is not null)
        {
            target = await users.FindByIdAsync(targetId);
            if (target is null)
            {
                await RefuseAsync(actor, actorSessionId, null, kind, AuditDetails.RefusedUnknownUserId);
                return (StaffResult.TargetNotFound, actor, null);
            }
        }
        var targetRoles = target is null ? null : await users.GetRolesAsync(target);
        if (!StaffPermissions.Allows(actor.Id, await users.GetRolesAsync(actor), action, target?.Id, targetRoles))
        {
            await RefuseAsync(actor, actorSessionId, target, kind, AuditDetails.RefusedNotPermitted);
            return (StaffResult.Forbidden, actor, target);
        }
        var decision = await policy.DecideForStaffAsync(actor.Id, actorSessionId, action);
        if (decision.Unavailable)
        {
            await RefuseAsync(actor, actorSessionId, target, kind, AuditDetails.RefusedActorWithoutTwoFactor);
            return (StaffResult.ActorNeedsTwoFactor, actor, target);
        }
        if (decision.ReVerificationRequired)
        {
            return (StaffResult.ReVerificationRequired, actor, target);
        }
        return (StaffResult.Done, actor, target);
    }

    private async Task RefuseAsync(ConsoleUser actor, string? actorSessionId, ConsoleUser? target, string kind, string why)
    {
        var origin = await notifier.OriginOfSessionAsync(actorSessionId);
        await audit.AppendAsync(AuditKinds.StaffRefused, actor.Id, actor.UserName ?? "", target?.Id, target?.UserName,
            AuditDetails.StaffRefused(kind, why), origin.IpAddress, origin.UserAgent);
    }

}
