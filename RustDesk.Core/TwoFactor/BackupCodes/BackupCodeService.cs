using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.TwoFactor.BackupCodes;

/// <summary>Six single-use 10-digit backup codes per user (the original console's format).</summary>
public sealed class BackupCodeService(ConsoleDbContext db, BackupCodeHasher hasher, TimeProvider time)
{
    public const int Count = 6;
    public const int Digits = 10;

    /// <summary>Fresh codes from a CSPRNG, uniformly distributed over 10 digits (leading zeros kept).</summary>
    public static IReadOnlyList<string> GenerateCodes() =>
        Enumerable.Range(0, Count).Select(_ => RandomNumberGenerator.GetString("0123456789", Digits)).ToList();

    /// <summary>Replaces every code of the user with new ones; the caller saves (inside its transaction).</summary>
    internal async Task<IReadOnlyList<string>> ReplaceAsync(string userId, CancellationToken cancellationToken)
    {
        await db.BackupCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var codes = GenerateCodes();
        var now = time.GetUtcNow().UtcDateTime;
        db.BackupCodes.AddRange(codes.Select(code => new BackupCode { UserId = userId, Hash = hasher.Hash(code), CreatedAt = now }));
        return codes;
    }

    public Task<int> CountUnusedAsync(string userId, CancellationToken cancellationToken = default) =>
        db.BackupCodes.CountAsync(c => c.UserId == userId && c.UsedAt == null, cancellationToken);

    /// <summary>
    /// Uses up the code if it is one of the user's unused codes. "Once" is decided by the database: the update
    /// only succeeds while <c>UsedAt</c> is still null, so two concurrent requests cannot both spend it.
    /// </summary>
    public async Task<bool> TryConsumeAsync(string userId, string code, CancellationToken cancellationToken = default)
    {
        var unused = await db.BackupCodes.AsNoTracking()
            .Where(c => c.UserId == userId && c.UsedAt == null)
            .Select(c => new { c.Id, c.Hash })
            .ToListAsync(cancellationToken);
        long? match = null;
        foreach (var candidate in unused)
        {
            // Every hash is checked, so the time taken does not reveal which code matched.
            if (hasher.Verify(candidate.Hash, code) && match is null)
            {
                match = candidate.Id;
            }
        }
        if (match is null)
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var spent = await db.BackupCodes.Where(c => c.Id == match && c.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, now), cancellationToken);
        return spent == 1;
    }
}
