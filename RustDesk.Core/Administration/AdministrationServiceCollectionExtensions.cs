using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Administration;

public static class AdministrationServiceCollectionExtensions
{
    /// <summary>Staff work on other users (actions, directory, invitations) and the <c>Console:PublicBaseUrl</c> option.</summary>
    public static IServiceCollection AddAdministration(this IServiceCollection services)
    {
        services.TryAddScoped<UserAdministrationService>();
        services.TryAddScoped<InvitationService>();
        services.AddOptions<PublicUrlOptions>().BindConfiguration(PublicUrlOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || o.BaseUri is not null,
                "Console:PublicBaseUrl must be an absolute http or https URL without user name, query or fragment, e.g. https://console.example.com.")
            .ValidateOnStart();
        services.TryAddScoped<UserDirectory>();
        return services;
    }
}
