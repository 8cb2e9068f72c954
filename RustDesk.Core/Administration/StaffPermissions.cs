using RustDesk.Core.Accounts;

namespace RustDesk.Core.Administration;

/// <summary>
/// The permission matrix. Administrators may do everything. Support may, for plain users only (neither administrators
/// nor other Support staff), see the 2FA state, reset 2FA, disable email verification, enforce or stop enforcing 2FA,
/// force a logout, edit the email and unlock a locked account. Users manage only their own account (through the
/// settings page, not here). Only administrators create users, change roles, edit profiles (display name, note,
/// status) or act on staff. Nobody acts on their own account here: staff change their own account through their
/// settings page, under their own re-verification (the overloads that take both users' ids say so).
/// </summary>
public static class StaffPermissions
{
    private static readonly HashSet<StaffAction> SupportActions =
    [
        StaffAction.ViewUser, StaffAction.ResetTwoFactor, StaffAction.DisableEmailVerification, StaffAction.EnforceTwoFactor,
        StaffAction.StopEnforcingTwoFactor, StaffAction.ForceLogout, StaffAction.EditEmail, StaffAction.UnlockAccount,
    ];

    /// <param name="actorRoles">The acting user's roles.</param>
    /// <param name="targetRoles">The roles of the user acted on (null for creating a user).</param>
    public static bool Allows(IEnumerable<string> actorRoles, StaffAction action, IEnumerable<string>? targetRoles)
    {
        var roles = actorRoles.ToHashSet(StringComparer.Ordinal);
        if (roles.Contains(Roles.Administrator))
        {
            return true;
        }
        // Support acting on Support could reset a colleague's 2FA and take the account over: only administrators act on staff.
        var targetIsStaff = targetRoles?.Any(r => r is Roles.Administrator or Roles.Support) ?? true;
        return roles.Contains(Roles.Support) && !targetIsStaff && SupportActions.Contains(action);
    }

    /// <summary>The matrix for two users: never on one's own account, else <see cref="Allows(IEnumerable{string}, StaffAction, IEnumerable{string}?)"/>.</summary>
    /// <param name="actorId">The acting user's id.</param>
    /// <param name="actorRoles">The acting user's roles.</param>
    /// <param name="targetId">The id of the user acted on (null for creating a user).</param>
    /// <param name="targetRoles">The roles of the user acted on (null for creating a user).</param>
    public static bool Allows(string actorId, IEnumerable<string> actorRoles, StaffAction action, string? targetId, IEnumerable<string>? targetRoles) =>
        !IsSelf(actorId, targetId) && Allows(actorRoles, action, targetRoles);

    /// <summary>What a page may offer on one user's row: nothing on the viewer's own row, else <see cref="AllowedOn(IEnumerable{string}, IEnumerable{string}?)"/>.</summary>
    public static IReadOnlySet<StaffAction> AllowedOn(string actorId, IEnumerable<string> actorRoles, string targetId, IEnumerable<string>? targetRoles) =>
        IsSelf(actorId, targetId) ? new HashSet<StaffAction>() : AllowedOn(actorRoles, targetRoles);

    private static bool IsSelf(string actorId, string? targetId) =>
        targetId is not null && string.Equals(actorId, targetId, StringComparison.Ordinal);

    /// <summary>
    /// Every action the matrix allows the actor on one user: what a page may offer for that user's row (empty: offer
    /// nothing, not even the row's menu). A courtesy for the page; each call is decided again by <see cref="Allows"/>.
    /// </summary>
    /// <param name="actorRoles">The acting user's roles.</param>
    /// <param name="targetRoles">The roles of the user acted on (null for creating a user).</param>
    public static IReadOnlySet<StaffAction> AllowedOn(IEnumerable<string> actorRoles, IEnumerable<string>? targetRoles)
    {
        var actor = actorRoles.ToList();
        var target = targetRoles?.ToList();
        return Enum.GetValues<StaffAction>().Where(action => Allows(actor, action, target)).ToHashSet();
    }
}
