using RustDesk.Core.Data;

namespace RustDesk.Core.Accounts;

/// <summary>
/// The one rule for "is 2FA on": the user has an authenticator app (a TOTP key) or at least one passkey; backup codes
/// do not count on their own. A query, so that a filter or a projection in SQL (the session guard's enrollment hold,
/// the users grid, the recovery list) and a single look-up (<c>TwoFactor/SecondFactorVerifier.IsEnabledAsync</c>)
/// read the same rule. It lives here, below <c>Sessions</c>, because the session guard needs it.
/// </summary>
public static class TwoFactorOn
{
    /// <summary>The ids of the users with 2FA on (one per TOTP key and passkey; use it with <c>Contains</c> or <c>Any</c>).</summary>
    public static IQueryable<string> UserIdsWithTwoFactor(this ConsoleDbContext db) =>
        db.TotpAuthenticators.Select(a => a.UserId).Concat(db.PasskeyCredentials.Select(p => p.UserId));
}
