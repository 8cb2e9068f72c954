using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RustDesk.Core.Security;
using RustDesk.Core.Sessions;

namespace RustDesk.Web.Hosting.Sessions;

/// <summary>
/// Keeps cookie tickets in the database: the cookie holds a random key, the ticket (protected) lives in the session's
/// row. This class only moves tickets between the cookie handler and <see cref="BrowserSessionStore"/>, which holds the
/// rules (a ticket comes back only while its session is valid; renewals slide the row's end, which
/// <see cref="SessionCookieEvents"/> asks for on activity).
/// </summary>
public sealed class SessionTicketStore(
    BrowserSessionStore sessions,
    IDataProtectionProvider dataProtection,
    IOptions<IdentityOptions> identityOptions) : ITicketStore
{
    /// <summary>Ticket property carrying the session row's sign-in time, set when a ticket is read back.</summary>
    public const string CreatedAtItem = ".rd.created";

    /// <summary>
    /// Sign-in property carrying the hash of the signing-in browser's trusted device (see <see cref="UserSession.DeviceHash"/>);
    /// it is moved to the session row and not kept in the ticket.
    /// </summary>
    public const string DeviceHashItem = ".rd.device";

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
        ticket.Properties.Items.Remove(DeviceHashItem, out var deviceHash);
        await sessions.CreateAsync(id,
            ticket.Principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.UserIdClaimType) ?? "",
            ticket.Principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType) ?? "",
            ticket.Properties.IsPersistent, deviceHash,
            httpContext?.Connection.RemoteIpAddress?.ToString(), httpContext?.Request.Headers.UserAgent.ToString(),
            Protect(ticket), cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        RenewAsync(key, ticket, null!, cancellationToken);

    public Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        sessions.RenewAsync(OpaqueKey.Hash(key), ticket.Principal.GetSessionId(), Protect(ticket), cancellationToken);

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) =>
        RetrieveAsync(key, null!, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (await sessions.RetrieveAsync(OpaqueKey.Hash(key), cancellationToken) is not { } stored)
        {
            return null;
        }
        var ticket = Unprotect(stored.Ticket);
        ticket?.Properties.Items[CreatedAtItem] = DateTime.SpecifyKind(stored.CreatedAt, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
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

    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) =>
        sessions.RemoveAsync(OpaqueKey.Hash(key), cancellationToken);

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
}
