using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Accounts.Settings;

public static class AccountSettingsServiceCollectionExtensions
{
    /// <summary>The account page's services: the user's own settings and the password strength meter (both session-guarded).</summary>
    public static IServiceCollection AddAccountSettings(this IServiceCollection services)
    {
        services.TryAddScoped<AccountSettingsService>();
        services.TryAddScoped<PasswordStrengthService>();
        return services;
    }
}
