using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Security;

namespace RustDesk.Core.Sessions;

/// <summary>
/// Keeps cookie tickets in the database. A ticket is only handed back while its session row exists, has neither
/// expired nor outlived the absolute lifetime, its user is active and the user's security stamp is the one the
/// session was issued with. The row's <see cref="UserSession.ExpiresAt"/> is the session's one expiry: it moves only
/// when the cookie handler renews the ticket (<see cref="SessionCookieEvents"/> asks for that on activity), so the
/// row, the ticket and a persistent cookie always say the same.
/// </summary>
public sealed class SessionTicketStore(
    IDbContextFactory<ConsoleDbContext> contexts,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    IOptions<ConsoleSessionOptions> options,
    IOptions<IdentityOptions> identityOptions,
    ILogger<SessionTicketStore> logger) : ITicketStore
{
    /// <summary>Ticket property carrying the session row's sign-in time, set when a ticket is read back.</summary>
    public const string CreatedAtItem = ".rd.created";

    /// <summary>
    /// Sign-in property carrying the hash of the signing-in browser's trusted device (see <see cref="UserSession.DeviceHash"/>);
    /// it is moved to the session row and not kept in the ticket.
    /// </summary>
    public const string DeviceHashItem = ".rd.device";

    private static readonly TimeSpan LastSeenResolution = ConsoleSessionOptions.SlidingResolution;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("RustDesk.Sessions.Ticket.v1");

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        StoreAsync(ticket, null!, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var key = OpaqueKey.New();
        var id = OpaqueKey.Hash(key);
        var identity = (ClaimsIdentity)ticket.Principal.Identity!;
        foreach (var old in identity.FindAll(SessionClaims.SessionId).ToList())
        {
            identity.RemoveClaim(old);
        }
        identity.AddClaim(new Claim(SessionClaims.SessionId, id));

        var now = time.GetUtcNow().UtcDateTime;
        var persistent = ticket.Properties.IsPersistent;
        ticket.Properties.Items.Remove(DeviceHashItem, out var deviceHash);
        var session = new UserSession
        {
            DeviceHash = deviceHash is { Length: 64 } ? deviceHash : null,
            Id = id,
            UserId = ticket.Principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.UserIdClaimType) ?? "",
            SecurityStamp = ticket.Principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType) ?? "",
            Kind = SessionKind.Browser,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = options.Value.ExpiresAt(now, now, persistent),
            IsPersistent = persistent,
            IpAddress = Truncate(httpContext?.Connection.RemoteIpAddress?.ToString(), UserSession.MaxIpLength),
            UserAgent = Truncate(httpContext?.Request.Headers.UserAgent.ToString(), UserSession.MaxUserAgentLength),
            Ticket = Protect(ticket),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Expired rows are refused anyway; clearing them here keeps the table from growing without a timer.
        var cutoff = options.Value.AbsoluteCutoff(now);
        await db.Sessions.Where(s => s.ExpiresAt <= now || s.CreatedAt <= cutoff).ExecuteDeleteAsync(cancellationToken);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        RenewAsync(key, ticket, null!, cancellationToken);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var id = OpaqueKey.Hash(key);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (ticket.Principal.GetSessionId() != id)
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
        var bytes = Protect(ticket);
        // Conditional: an expired or revoked session is never brought back by a late renewal.
        await db.Sessions.Where(s => s.Id == id && s.Kind == SessionKind.Browser && s.ExpiresAt > now && s.CreatedAt > cutoff)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes)
                .SetProperty(s => s.ExpiresAt, expires)
                .SetProperty(s => s.LastSeenAt, now), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) =>
        RetrieveAsync(key, null!, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var id = OpaqueKey.Hash(key);
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
        var ticket = Unprotect(row.Ticket);
        ticket?.Properties.Items[CreatedAtItem] = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
        return ticket;
    }

    /// <summary>The session's sign-in time as <see cref="RetrieveAsync(string, HttpContext, CancellationToken)"/> put it on the ticket.</summary>
    public static DateTime? CreatedAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(CreatedAtItem, out var value)
        && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : null;

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, null!, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var id = OpaqueKey.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.Id == id && s.Kind == SessionKind.Browser).ExecuteDeleteAsync(cancellationToken);
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private AuthenticationTicket? Unprotect(byte[] data)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(data));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
