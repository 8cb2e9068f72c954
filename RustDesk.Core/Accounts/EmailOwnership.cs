using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.Accounts;

/// <summary>
/// One address, one account: the question both writers of an address ask (the Basic tab, staff editing a user). Any case
/// counts as the same address (Identity's normalised form). The unique index on the normalised address still refuses
/// the row if two writes race past this check.
/// </summary>
internal static class EmailOwnership
{
    /// <summary>Whether a user other than <paramref name="userId"/> holds <paramref name="email"/>; never for no address.</summary>
    public static async Task<bool> IsTakenByAnotherAsync(ConsoleDbContext db, UserManager<ConsoleUser> users, string? email,
        string userId, CancellationToken cancellationToken = default)
    {
        if (email is null)
        {
            return false;
        }
        var normalized = users.NormalizeEmail(email);
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalized && u.Id != userId, cancellationToken);
    }
}
