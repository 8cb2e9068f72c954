using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using RustDesk.Core.Sessions;

namespace RustDesk.Web.Hosting.Sessions;

/// <summary>
/// Makes the cookie handler follow the session's lifetime instead of its own: at sign-in the ticket (and a
/// persistent cookie) expire when the session row does; on activity, at most once per
/// <see cref="ConsoleSessionOptions.SlidingResolution"/>, the handler renews the ticket with the slid expiry
/// (capped by the absolute lifetime), which <see cref="BrowserSessionStore.RenewAsync"/>
/// writes to the row, and re-issues a persistent cookie with the same expiry. Left to itself the handler would
/// renew only after half of <c>ExpireTimeSpan</c> had passed, so a 12-hour session ended 12 hours after sign-in
/// however active it was.
/// </summary>
public sealed class SessionCookieEvents(IOptions<ConsoleSessionOptions> options, TimeProvider time) : CookieAuthenticationEvents
{
    public override Task SigningIn(CookieSigningInContext context)
    {
        var now = time.GetUtcNow();
        context.Properties.IssuedUtc = now;
        context.Properties.ExpiresUtc = Utc(options.Value.ExpiresAt(now.UtcDateTime, now.UtcDateTime, context.Properties.IsPersistent));
        return base.SigningIn(context);
    }

    public override Task CheckSlidingExpiration(CookieSlidingExpirationContext context)
    {
        var now = time.GetUtcNow();
        var issued = context.Properties.IssuedUtc;
        context.ShouldRenew = issued is not null && now - issued.Value >= ConsoleSessionOptions.SlidingResolution;
        if (context.ShouldRenew)
        {
            // The handler renews with the span between these two (expires - issued) starting now: so the renewed
            // ticket and cookie expire exactly when the row will.
            var created = SessionTicketStore.CreatedAt(context.Properties) ?? issued!.Value.UtcDateTime;
            context.Properties.IssuedUtc = now;
            context.Properties.ExpiresUtc = Utc(options.Value.ExpiresAt(created, now.UtcDateTime, context.Properties.IsPersistent));
        }
        return Task.CompletedTask;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>
    /// The ticket store itself refuses revoked sessions, disabled users and changed security stamps, on every request;
    /// Identity's periodic stamp check would only repeat that later.
    /// </summary>
    public override Task ValidatePrincipal(CookieValidatePrincipalContext context) => Task.CompletedTask;
}
