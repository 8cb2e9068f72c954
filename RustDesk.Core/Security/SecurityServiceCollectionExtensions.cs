using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// The server keys shared by every instance and the console's public address (<c>Console:PublicBaseUrl</c>, for
    /// invitation links and the passkeys' relying party); the Data Protection key ring is <see cref="KeyRingProtection.AddConsoleDataProtection"/>.
    /// </summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerSecrets>();
        services.AddOptions<PublicUrlOptions>().BindConfiguration(PublicUrlOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || o.BaseUri is not null,
                "Console:PublicBaseUrl must be an absolute http or https URL without user name, query or fragment, e.g. https://console.example.com.")
            .ValidateOnStart();
        return services;
    }
}
