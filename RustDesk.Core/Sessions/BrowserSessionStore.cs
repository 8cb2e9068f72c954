using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Sessions;

/// <summary>A browser session's stored (protected) cookie ticket and when the session began.</summary>
public sealed record StoredTicket(byte[] Ticket, DateTime CreatedAt);

/// <summary>
/// The rules of a browser session's row, behind the web host's cookie ticket store (<c>Web/Hosting/SessionTicketStore</c>,
/// which only turns tickets into bytes and back). A ticket is handed back only while its session row exists, has
/// neither expired nor outlived the absolute lifetime, its user is active and the user's security stamp is the one
/// the session was issued with. The row's <see cref="UserSession.ExpiresAt"/> is the session's one expiry: it moves
/// only when the cookie handler renews the ticket, so the row, the ticket and a persistent cookie always say the same.
/// </summary>
public sealed class BrowserSessionStore(
    IDbContextFactory<ConsoleDbContext> contexts,
    TimeProvider time,
    IOptions<ConsoleSessionOptions> options,
    ILogger<BrowserSessionStore> logger)
{
    private static readonly TimeSpan LastSeenResolution = ConsoleSessionOptions.SlidingResolution;

    /// <summary>A new session's row (clearing expired ones: they are refused anyway, and the table stays small without a timer).</summary>
    /// <param name="id">The hash of the cookie's key (<see cref="Security.OpaqueKey.Hash"/>).</param>
    /// <param name="deviceHash">The signing-in browser's trusted device (see <see cref="UserSession.DeviceHash"/>), if any.</param>
    public async Task CreateAsync(string id, string userId, string securityStamp, bool persistent, string? deviceHash,
        string? ipAddress, string? userAgent, byte[] ticket, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var session = new UserSession
        {
            DeviceHash = deviceHash is { Length: 64 } ? deviceHash : null,
            Id = id,
            UserId = userId,
            SecurityStamp = securityStamp,
            Kind = SessionKind.Browser,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = options.Value.ExpiresAt(now, now, persistent),
            IsPersistent = persistent,
            IpAddress = Truncate(ipAddress, UserSession.MaxIpLength),
            UserAgent = Truncate(userAgent, UserSession.MaxUserAgentLength),
            Ticket = ticket,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cutoff = options.Value.AbsoluteCutoff(now);
        await db.Sessions.Where(s => s.ExpiresAt <= now || s.CreatedAt <= cutoff).ExecuteDeleteAsync(cancellationToken);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Slides the session's end (within the absolute lifetime) and stores the renewed ticket.</summary>
    /// <param name="ticketSessionId">The session id the renewed ticket's principal carries.</param>
    public async Task RenewAsync(string id, string? ticketSessionId, byte[] ticket, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (ticketSessionId != id)
        {
            // The cookie handler renews the request's session when someone signs in over it: a key the browser
            // already had would carry a new principal (session fixation), under a row of possibly another user.
            // The sign-in pages never read the session cookie (SignInEndpoints); anything else ends the session.
            await db.Sessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
            logger.LogWarning("A sign-in over an existing session ended that session instead of reusing its key");
            return;
        }
        var row = await db.Sessions.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.CreatedAt, s.IsPersistent }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return;
        }
        var expires = options.Value.ExpiresAt(row.CreatedAt, now, row.IsPersistent);
        var cutoff = options.Value.AbsoluteCutoff(now);
        // Conditional: an expired or revoked session is never brought back by a late renewal.
        await db.Sessions.Where(s => s.Id == id && s.Kind == SessionKind.Browser && s.ExpiresAt > now && s.CreatedAt > cutoff)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, ticket)
                .SetProperty(s => s.ExpiresAt, expires)
                .SetProperty(s => s.LastSeenAt, now), cancellationToken);
    }

    /// <summary>The session's ticket while the session is valid (see the class); null otherwise.</summary>
    public async Task<StoredTicket?> RetrieveAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = options.Value.AbsoluteCutoff(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == id && s.Kind == SessionKind.Browser && s.ExpiresAt > now && s.CreatedAt > cutoff)
            .Join(db.Users, s => s.UserId, u => u.Id,
                (s, u) => new { s.Ticket, s.SecurityStamp, s.LastSeenAt, s.CreatedAt, UserStamp = u.SecurityStamp, u.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null || row.Status != UserStatus.Active || row.SecurityStamp != row.UserStamp)
        {
            return null;
        }
        if (now - row.LastSeenAt >= LastSeenResolution)
        {
            await db.Sessions.Where(s => s.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
        }
        return new StoredTicket(row.Ticket, row.CreatedAt);
    }

    /// <summary>Ends the browser session (signing out).</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.Id == id && s.Kind == SessionKind.Browser).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
