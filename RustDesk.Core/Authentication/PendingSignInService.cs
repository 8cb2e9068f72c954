using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;
using RustDesk.Core.Security;

namespace RustDesk.Core.Authentication;

/// <summary>What the second-step pages need to know about a pending sign-in.</summary>
public sealed record PendingSignInInfo(string Id, string UserId, SecondFactorMethod Method, bool IsPersistent, DateTime ExpiresAt,
    string IpAddress = "", string UserAgent = "");

/// <summary>Creates, finds and closes pending sign-ins (the state between the password and the second factor).</summary>
public sealed class PendingSignInService(ConsoleDbContext db, TimeProvider time)
{
    /// <summary>How long a TOTP step may take; the email step lives as long as its code.</summary>
    public static readonly TimeSpan TotpLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Starts a pending sign-in and returns the browser's key. Earlier pending sign-ins of the user end.</summary>
    public async Task<string> CreateAsync(string userId, SecondFactorMethod method, bool persistent, TimeSpan lifetime,
        string? ipAddress, string? userAgent, CancellationToken cancellationToken = default)
    {
        var key = OpaqueKey.New();
        var now = time.GetUtcNow().UtcDateTime;
        await db.PendingSignIns.Where(p => p.UserId == userId || p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        db.PendingSignIns.Add(new PendingSignIn
        {
            Id = OpaqueKey.Hash(key),
            UserId = userId,
            Method = method,
            IsPersistent = persistent,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            IpAddress = Truncate(ipAddress, Sessions.UserSession.MaxIpLength),
            UserAgent = Truncate(userAgent, Sessions.UserSession.MaxUserAgentLength),
        });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>The unexpired pending sign-in for a browser key, or null (unknown, forged, expired or finished).</summary>
    public async Task<PendingSignInInfo?> FindAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 128)
        {
            return null;
        }
        var id = OpaqueKey.Hash(key);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.AsNoTracking()
            .Where(p => p.Id == id && p.ExpiresAt > now)
            .Select(p => new PendingSignInInfo(p.Id, p.UserId, p.Method, p.IsPersistent, p.ExpiresAt, p.IpAddress, p.UserAgent))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Ends the pending sign-in; true only for the one caller that ended it (single use under races).</summary>
    public async Task<bool> CompleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.PendingSignIns.Where(p => p.Id == id && p.ExpiresAt > now).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    public async Task CancelAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(key) && key.Length <= 128)
        {
            var id = OpaqueKey.Hash(key);
            await db.PendingSignIns.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
