using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.TwoFactor;

/// <summary>
/// The one "switch 2FA off" path, shared by the user's own Disable 2FA, the staff reset and the command line's
/// <c>reset-2fa</c>: the TOTP key, backup codes, an open enable dialog's key, every passkey and passkey challenge.
/// Run inside the caller's transaction.
/// </summary>
internal static class TwoFactorRemoval
{
    /// <summary>Removes every second factor of the user; returns how many factors (TOTP key, passkeys) there were.</summary>
    public static async Task<int> RemoveAllAsync(ConsoleDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        var removed = await db.TotpAuthenticators.Where(a => a.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.BackupCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.TotpEnrollments.Where(e => e.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        removed += await db.PasskeyCredentials.Where(p => p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.PasskeyChallenges.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }
}
