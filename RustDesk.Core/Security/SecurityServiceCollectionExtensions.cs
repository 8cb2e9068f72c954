using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>The server keys shared by every instance (the Data Protection key ring is <see cref="KeyRingProtection.AddConsoleDataProtection"/>).</summary>
    public static IServiceCollection AddServerSecrets(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerSecrets>();
        return services;
    }
}
