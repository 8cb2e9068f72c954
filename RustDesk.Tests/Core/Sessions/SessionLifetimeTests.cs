using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Tests.Core.Sessions;

/// <summary>
/// Sliding and absolute session lifetimes (ASVS 7.3.1, 7.3.2): activity (a renewal by the cookie handler) moves a
/// session's end, never past its absolute lifetime, and never brings an ended session back.
/// </summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost(new Dictionary<string, string?>
    {
        ["Sessions:BrowserSessionHours"] = "12",
        ["Sessions:PersistentDays"] = "7",
        ["Sessions:AbsoluteDays"] = "10",
    }).InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SessionTicketStore Store => _host.Services.GetRequiredService<SessionTicketStore>();

    private SessionCookieEvents Events => _host.Services.GetRequiredService<SessionCookieEvents>();

    [Fact]
    public async Task RenewAsync_ActiveBrowserSession_LivesPastBrowserSessionHoursAndEndsTwelveHoursAfterTheLastActivity()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: false);

        // Active every 11 hours, for 33 hours.
        for (var i = 0; i < 3; i++)
        {
            _host.Time.Advance(TimeSpan.FromHours(11));
            await ActAsync(session);
        }
        Assert.NotNull(await _host.RetrieveAsync(session));
        Assert.True(await _host.IsValidAsync(session));

        // Then idle.
        _host.Time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));
        Assert.Null(await _host.RetrieveAsync(session));
        Assert.False(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_ActivePersistentSessionPastTheAbsoluteLifetime_ReturnsNull()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: true);
        for (var day = 1; day <= 9; day++)
        {
            _host.Time.Advance(TimeSpan.FromDays(1));
            await ActAsync(session);
        }
        _host.Time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        Assert.NotNull(await _host.RetrieveAsync(session));

        _host.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await _host.RetrieveAsync(session));
        Assert.False(await _host.IsValidAsync(session));
        var row = await RowAsync(session);
        Assert.True(row.ExpiresAt <= row.CreatedAt.AddDays(10), "a renewal never moves the end past the absolute lifetime");
    }

    [Fact]
    public async Task IsValidAsync_RowEndingLaterThanTheAbsoluteLifetime_IsRefusedAfterIt()
    {
        // E.g. AbsoluteDays lowered after sessions were issued: the sign-in time decides, not only the stored end.
        var session = await _host.StoreSessionAsync("admin", persistent: true);
        var created = (await RowAsync(session)).CreatedAt;
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.ExpiresAt, created.AddDays(365))));

        _host.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromSeconds(1));

        Assert.Null(await _host.RetrieveAsync(session));
        Assert.False(await _host.IsValidAsync(session));
        // The devices tab cannot even be read from a session past its absolute end; another, fresh session sees no row.
        var fresh = await _host.StoreSessionAsync("admin");
        var listed = await _host.WithAsync<DeviceService, IReadOnlyList<SessionInfo>>(s => s.ListAsync(fresh.UserId, fresh.SessionId));
        Assert.DoesNotContain(listed, s => s.Id == session.SessionId);
    }

    [Fact]
    public async Task RenewAsync_SessionAlreadyExpired_DoesNotBringItBack()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: false);
        var ticket = await _host.RetrieveAsync(session);
        _host.Time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));

        await Store.RenewAsync(session.Key, ticket!);

        Assert.Null(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RenewAsync_TicketOfANewSignIn_EndsTheSessionInsteadOfReusingItsKey()
    {
        // What the cookie handler does when someone signs in over a valid session: "renew" it with the new principal.
        var victimsKey = await _host.StoreSessionAsync("admin");
        var other = await _host.CreateUserAsync("mallory", "Mallory-Password-1");
        var principal = await _host.WithAsync<IUserClaimsPrincipalFactory<ConsoleUser>, ClaimsPrincipal>(f => f.CreateAsync(other));
        var newSignIn = new AuthenticationTicket(principal, new AuthenticationProperties(), IdentityConstants.ApplicationScheme);

        await Store.RenewAsync(victimsKey.Key, newSignIn);

        Assert.Null(await _host.RetrieveAsync(victimsKey));
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task RetrieveAsync_Ticket_CarriesTheSessionsSignInTime()
    {
        var signedInAt = _host.Time.GetUtcNow().UtcDateTime;
        var session = await _host.StoreSessionAsync("admin");
        _host.Time.Advance(TimeSpan.FromHours(3));

        var ticket = await _host.RetrieveAsync(session);

        Assert.Equal(signedInAt, SessionTicketStore.CreatedAt(ticket!.Properties));
    }

    [Fact]
    public async Task SigningIn_PersistentAndBrowserSession_TicketEndsWithTheRow()
    {
        var now = _host.Time.GetUtcNow();
        var persistent = SigningIn(persistent: true);
        var browser = SigningIn(persistent: false);

        await Events.SigningIn(persistent);
        await Events.SigningIn(browser);

        Assert.Equal(now, persistent.Properties.IssuedUtc);
        Assert.Equal(now.AddDays(7), persistent.Properties.ExpiresUtc);
        Assert.Equal(now.AddHours(12), browser.Properties.ExpiresUtc);
    }

    [Fact]
    public async Task CheckSlidingExpiration_WithinAMinuteOfTheLastRenewal_DoesNotRenew()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: true);
        var ticket = await _host.RetrieveAsync(session);
        ticket!.Properties.IssuedUtc = _host.Time.GetUtcNow();
        _host.Time.Advance(TimeSpan.FromSeconds(59));

        var context = Sliding(ticket);
        await Events.CheckSlidingExpiration(context);

        Assert.False(context.ShouldRenew);
    }

    [Fact]
    public async Task CheckSlidingExpiration_AfterAMinute_RenewsToTheSlidEndCappedByTheAbsoluteLifetime()
    {
        var created = _host.Time.GetUtcNow();
        var session = await _host.StoreSessionAsync("admin", persistent: true);
        var ticket = await _host.RetrieveAsync(session);
        ticket!.Properties.IssuedUtc = created;

        _host.Time.Advance(TimeSpan.FromDays(1));
        var early = Sliding(ticket);
        await Events.CheckSlidingExpiration(early);
        Assert.True(early.ShouldRenew);
        Assert.Equal(_host.Time.GetUtcNow(), ticket.Properties.IssuedUtc);
        Assert.Equal(_host.Time.GetUtcNow().AddDays(7), ticket.Properties.ExpiresUtc);

        _host.Time.Advance(TimeSpan.FromDays(5));
        var late = Sliding(ticket);
        await Events.CheckSlidingExpiration(late);
        Assert.True(late.ShouldRenew);
        Assert.Equal(created.AddDays(10), ticket.Properties.ExpiresUtc);
    }

    [Theory]
    [InlineData("5", "30", "12")]
    [InlineData("1", "1", "48")]
    public async Task Options_AbsoluteShorterThanASlidingLifetime_StopStartUpNamingTheKey(string absolute, string persistent, string browser)
    {
        await using var host = new CoreHost(new Dictionary<string, string?>
        {
            ["Sessions:AbsoluteDays"] = absolute,
            ["Sessions:PersistentDays"] = persistent,
            ["Sessions:BrowserSessionHours"] = browser,
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ConsoleSessionOptions>>().Value);

        Assert.Contains("Sessions:AbsoluteDays", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A request with the session's cookie: read the ticket back and renew it, as the cookie handler does.</summary>
    private async Task ActAsync(StoredSession session)
    {
        var ticket = await _host.RetrieveAsync(session);
        Assert.NotNull(ticket);
        await Store.RenewAsync(session.Key, ticket!);
    }

    private Task<UserSession> RowAsync(StoredSession session) =>
        _host.WithAsync<ConsoleDbContext, UserSession>(db => db.Sessions.AsNoTracking().SingleAsync(s => s.Id == session.SessionId));

    private static readonly AuthenticationScheme Scheme = new(IdentityConstants.ApplicationScheme, null, typeof(CookieAuthenticationHandler));

    private static CookieSigningInContext SigningIn(bool persistent) =>
        new(new DefaultHttpContext(), Scheme, new CookieAuthenticationOptions(), new ClaimsPrincipal(),
            new AuthenticationProperties { IsPersistent = persistent }, new CookieOptions());

    private static CookieSlidingExpirationContext Sliding(AuthenticationTicket ticket) =>
        new(new DefaultHttpContext(), Scheme, new CookieAuthenticationOptions(), ticket, TimeSpan.Zero, TimeSpan.Zero);
}
