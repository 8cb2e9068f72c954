using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Web.Hosting.Sessions;

public static class SessionCookieServiceCollectionExtensions
{
    /// <summary>The cookie handler's ticket store and events (on top of Core's <c>AddSessions</c>).</summary>
    public static IServiceCollection AddSessionCookies(this IServiceCollection services)
    {
        services.TryAddSingleton<SessionTicketStore>();
        services.TryAddSingleton<SessionCookieEvents>();
        return services;
    }
}
