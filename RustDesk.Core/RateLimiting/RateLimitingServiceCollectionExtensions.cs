using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RustDesk.Core.RateLimiting;

public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>The <c>RateLimits</c> options and the gate in front of <typeparamref name="TUser"/>'s password hasher.</summary>
    public static IServiceCollection AddPasswordHashGate<TUser>(this IServiceCollection services) where TUser : class
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PasswordHashGate>();
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<TUser>>(sp => new GatedPasswordHasher<TUser>(
            new PasswordHasher<TUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()),
            sp.GetRequiredService<PasswordHashGate>())));
        return services;
    }
}
