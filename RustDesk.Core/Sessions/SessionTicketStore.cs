using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Security;

namespace RustDesk.Core.Sessions;

/// <summary>
/// Keeps cookie tickets in the database. A ticket is only handed back while its session row exists, has not
/// expired, its user is active and the user's security stamp is the one the session was issued with.
/// </summary>
public sealed class SessionTicketStore(
    IDbContextFactory<ConsoleDbContext> contexts,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    IOptions<ConsoleSessionOptions> options,
    IOptions<IdentityOptions> identityOptions) : ITicketStore
{
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);
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
        var session = new UserSession
        {
            Id = id,
            UserId = ticket.Principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.UserIdClaimType) ?? "",
            SecurityStamp = ticket.Principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType) ?? "",
            Kind = SessionKind.Browser,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + Lifetime(persistent),
            IsPersistent = persistent,
            IpAddress = Truncate(httpContext?.Connection.RemoteIpAddress?.ToString(), UserSession.MaxIpLength),
            UserAgent = Truncate(httpContext?.Request.Headers.UserAgent.ToString(), UserSession.MaxUserAgentLength),
            Ticket = Protect(ticket),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Expired rows are refused anyway; clearing them here keeps the table from growing without a timer.
        await db.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
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
        var bytes = Protect(ticket);
        var expires = now + Lifetime(ticket.Properties.IsPersistent);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.Id == id)
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
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == id && s.ExpiresAt > now)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.Ticket, s.SecurityStamp, s.LastSeenAt, UserStamp = u.SecurityStamp, u.Status })
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
        return Unprotect(row.Ticket);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, null!, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var id = OpaqueKey.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    private TimeSpan Lifetime(bool persistent) => persistent
        ? TimeSpan.FromDays(options.Value.PersistentDays)
        : TimeSpan.FromHours(options.Value.BrowserSessionHours);

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
