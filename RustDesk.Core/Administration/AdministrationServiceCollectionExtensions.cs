using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Administration;

public static class AdministrationServiceCollectionExtensions
{
    /// <summary>Staff work on other users (actions, directory, invitations).</summary>
    public static IServiceCollection AddAdministration(this IServiceCollection services)
    {
        services.TryAddScoped<UserAdministrationService>();
        services.TryAddScoped<InvitationService>();
        services.TryAddScoped<UserDirectory>();
        return services;
    }
}
