using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Accounts.Settings;

public static class AccountSettingsServiceCollectionExtensions
{
    /// <summary>The account page's services: the Basic tab, the password and language, and the password strength meter (all session-guarded).</summary>
    public static IServiceCollection AddAccountSettings(this IServiceCollection services)
    {
        services.TryAddScoped<BasicSettingsService>();
        services.TryAddScoped<AccountSettingsService>();
        services.TryAddScoped<PasswordStrengthService>();
        return services;
    }
}
