using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Passkeys.Settings;

public static class PasskeySettingsServiceCollectionExtensions
{
    /// <summary>A user's passkeys on the security tab: registering, renaming, removing.</summary>
    public static IServiceCollection AddPasskeySettings(this IServiceCollection services)
    {
        services.TryAddScoped<PasskeyService>();
        return services;
    }
}
