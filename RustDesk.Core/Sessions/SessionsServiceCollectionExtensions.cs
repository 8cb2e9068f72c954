using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Sessions;

public static class SessionsServiceCollectionExtensions
{
    /// <summary>The <c>Sessions</c> options and the session rules: validating and ending sessions, the guard.</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddOptions<ConsoleSessionOptions>().BindConfiguration(ConsoleSessionOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AbsoluteCoversSliding,
                $"'{ConsoleSessionOptions.Section}:AbsoluteDays' is shorter than '{ConsoleSessionOptions.Section}:PersistentDays' or '{ConsoleSessionOptions.Section}:BrowserSessionHours'.")
            .ValidateOnStart();
        services.TryAddScoped<SessionService>();
        services.TryAddScoped<SessionGuard>();
        services.TryAddSingleton<BrowserSessionStore>();
        return services;
    }
}
