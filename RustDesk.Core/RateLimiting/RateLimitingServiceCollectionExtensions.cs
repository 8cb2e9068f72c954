using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RustDesk.Core.RateLimiting;

public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>
    /// The <c>RateLimits</c> options and the gate in front of every password hash (<see cref="PasswordHashGate"/>);
    /// <c>Accounts</c> puts its hasher behind it (<see cref="AddGatedPasswordHasher{TUser}"/>).
    /// </summary>
    public static IServiceCollection AddRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PasswordHashGate>();
        return services;
    }

    /// <summary><typeparamref name="TUser"/>'s password hasher behind the gate that <see cref="AddRateLimiting"/> registers.</summary>
    public static IServiceCollection AddGatedPasswordHasher<TUser>(this IServiceCollection services) where TUser : class
    {
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<TUser>>(sp => new GatedPasswordHasher<TUser>(
            new PasswordHasher<TUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()),
            sp.GetRequiredService<PasswordHashGate>())));
        return services;
    }
}
