using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;

namespace RustDesk.Core.Security;

/// <summary>
/// 256-bit server keys that must be the same on every instance (e.g. the HMAC key of emailed codes). Each is created
/// once, in the <c>ServerSecrets</c> table, encrypted with Data Protection under its own purpose, so a copy of the
/// database alone does not reveal it (with the key ring encrypted by a certificate, see
/// <c>DataProtection:CertificatePath</c>). Two instances starting together race on the primary key: one insert wins
/// and the other reads the winner's key. A key that can no longer be decrypted (the key ring was lost) is replaced.
/// </summary>
public sealed class ServerSecrets(IServiceScopeFactory scopes, IDataProtectionProvider provider, TimeProvider time, ILogger<ServerSecrets> logger)
{
    public const string Purpose = "RustDesk.Security.ServerSecret.v1";
    public const int KeyBytes = 32;

    private readonly ConcurrentDictionary<string, byte[]> _cache = new(StringComparer.Ordinal);

    /// <summary>The key named <paramref name="name"/>, created on first use.</summary>
    public async Task<byte[]> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var key = await LoadOrCreateAsync(name, cancellationToken);
        return _cache.GetOrAdd(name, key);
    }

    private async Task<byte[]> LoadOrCreateAsync(string name, CancellationToken cancellationToken)
    {
        var protector = provider.CreateProtector(Purpose, name);
        // Three rounds: read, or insert (which may lose a race), or replace an undecryptable key (which may lose one too).
        for (var round = 0; round < 3; round++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            var row = await db.ServerSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, cancellationToken);
            if (row is not null)
            {
                if (TryUnprotect(protector, row.ProtectedValue, out var existing))
                {
                    return existing;
                }
                logger.LogError("Server key {Name} cannot be decrypted with the Data Protection key ring (lost or replaced?); creating a new one. Codes issued with the old key are void.", name);
                var replacement = RandomNumberGenerator.GetBytes(KeyBytes);
                var replaced = await db.ServerSecrets.Where(s => s.Name == name && s.ProtectedValue == row.ProtectedValue)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(s => s.ProtectedValue, Protect(protector, replacement))
                        .SetProperty(s => s.CreatedAt, time.GetUtcNow().UtcDateTime), cancellationToken);
                if (replaced == 1)
                {
                    return replacement;
                }
                continue;
            }
            var created = RandomNumberGenerator.GetBytes(KeyBytes);
            db.ServerSecrets.Add(new ServerSecret { Name = name, ProtectedValue = Protect(protector, created), CreatedAt = time.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Created server key {Name}", name);
                return created;
            }
            catch (DbUpdateException)
            {
                // Another instance (or request) inserted it first; the next round reads theirs.
            }
        }
        throw new InvalidOperationException($"Could not read or create the server key '{name}'.");
    }

    private static string Protect(IDataProtector protector, byte[] key) => Convert.ToBase64String(protector.Protect(key));

    private static bool TryUnprotect(IDataProtector protector, string stored, out byte[] key)
    {
        try
        {
            key = protector.Unprotect(Convert.FromBase64String(stored));
            return key.Length == KeyBytes;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            key = [];
            return false;
        }
    }
}
