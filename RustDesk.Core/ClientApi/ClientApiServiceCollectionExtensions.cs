using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.ClientApi;

public static class ClientApiServiceCollectionExtensions
{
    /// <summary>The RustDesk client's account API (<c>/api/login</c> and the token endpoints); needs the accounts, 2FA and mail services.</summary>
    public static IServiceCollection AddClientApi(this IServiceCollection services)
    {
        services.TryAddScoped<ClientSecondFactorPolicy>();
        services.TryAddScoped<ClientLoginService>();
        services.TryAddScoped<ClientTokenService>();
        return services;
    }
}
