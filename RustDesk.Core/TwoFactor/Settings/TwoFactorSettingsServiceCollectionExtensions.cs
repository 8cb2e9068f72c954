using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.TwoFactor.Settings;

public static class TwoFactorSettingsServiceCollectionExtensions
{
    /// <summary>A user's 2FA on the security tab: its state and expiry, enrollment, disabling, new backup codes.</summary>
    public static IServiceCollection AddTwoFactorSettings(this IServiceCollection services)
    {
        services.TryAddScoped<TwoFactorService>();
        services.TryAddScoped<TotpEnrollmentService>();
        return services;
    }
}
