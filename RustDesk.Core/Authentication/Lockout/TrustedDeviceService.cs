using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;
using RustDesk.Core.Security;

namespace RustDesk.Core.Authentication.Lockout;

/// <summary>
/// Device cookies: after a completed sign-in the browser gets a random device id, signed and encrypted with Data
/// Protection, and the database keeps its SHA-256 for that user. A forged, altered or foreign cookie is simply not
/// trusted (the client counts as unknown); a database copy holds no usable cookie.
/// </summary>
public sealed class TrustedDeviceService(ConsoleDbContext db, IDataProtectionProvider dataProtection, TimeProvider time,
    ILogger<TrustedDeviceService> logger)
{
    public const string Purpose = "RustDesk.Authentication.DeviceCookie.v1";

    /// <summary>How long a device stays trusted after its last completed sign-in; also the cookie's lifetime.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>Devices remembered per user; the least recently used beyond this are forgotten.</summary>
    public const int MaxPerUser = 10;

    private const int MaxCookieLength = 1024;
    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    /// <summary>The hash of the user's trusted device named by <paramref name="cookie"/>, or null (no, forged, expired or another user's).</summary>
    public async Task<string?> FindAsync(string userId, string? cookie, CancellationToken cancellationToken = default)
    {
        if (DeviceIdOf(cookie) is not { } id)
        {
            return null;
        }
        var hash = OpaqueKey.Hash(id);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.TrustedDevices.AnyAsync(d => d.UserId == userId && d.DeviceHash == hash && d.ExpiresAt > now, cancellationToken)
            ? hash : null;
    }

    /// <summary>
    /// After a completed sign-in: trusts this browser for the user (keeping the device id of a valid cookie, so a shared
    /// browser is one device for each of its users) and returns the cookie value to set.
    /// </summary>
    public async Task<string> TrustAsync(string userId, string? cookie, CancellationToken cancellationToken = default)
    {
        var id = DeviceIdOf(cookie) ?? OpaqueKey.New();
        var hash = OpaqueKey.Hash(id);
        var now = time.GetUtcNow().UtcDateTime;
        var known = await db.TrustedDevices.Where(d => d.UserId == userId && d.DeviceHash == hash).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.LastSignInAt, now)
            .SetProperty(d => d.ExpiresAt, now + Lifetime)
            .SetProperty(d => d.FailureCount, 0)
            .SetProperty(d => d.ConsecutiveFailures, 0)
            .SetProperty(d => d.LockoutCount, 0)
            .SetProperty(d => d.LockedOutUntil, (DateTime?)null), cancellationToken);
        if (known == 0)
        {
            var device = new TrustedDevice { UserId = userId, DeviceHash = hash, CreatedAt = now, LastSignInAt = now, ExpiresAt = now + Lifetime };
            db.TrustedDevices.Add(device);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("User {UserId} trusts a new device", userId);
            }
            catch (DbUpdateException)
            {
                // The same browser completed two sign-ins at once: the other request created the row.
                db.Entry(device).State = EntityState.Detached;
            }
        }
        var forgotten = await db.TrustedDevices.AsNoTracking().Where(d => d.UserId == userId)
            .OrderByDescending(d => d.LastSignInAt).Skip(MaxPerUser).Select(d => d.DeviceHash).ToListAsync(cancellationToken);
        await db.TrustedDevices.Where(d => d.UserId == userId && (d.ExpiresAt <= now || forgotten.Contains(d.DeviceHash)))
            .ExecuteDeleteAsync(cancellationToken);
        return _protector.Protect(id);
    }

    private string? DeviceIdOf(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > MaxCookieLength)
        {
            return null;
        }
        try
        {
            var id = _protector.Unprotect(cookie);
            return id.Length is > 0 and <= 64 ? id : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
