using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Authentication.Lockout;

public static class LockoutServiceCollectionExtensions
{
    /// <summary>The failure budgets every step reserves before checking a secret, and the device cookies' own budgets.</summary>
    public static IServiceCollection AddLockout(this IServiceCollection services)
    {
        services.TryAddScoped<SignInBudget>();
        services.TryAddScoped<LockoutGuard>();
        services.TryAddScoped<TrustedDeviceService>();
        return services;
    }
}
