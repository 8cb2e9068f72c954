using Fido2NetLib;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RustDesk.Core.Security;

namespace RustDesk.Core.Passkeys;

public static class PasskeyServiceCollectionExtensions
{
    /// <summary>Passkeys: options (checked against <c>Console:PublicBaseUrl</c> at start-up), the Fido2 library, the services.</summary>
    public static IServiceCollection AddPasskeys(this IServiceCollection services)
    {
        services.AddOptions<PasskeyOptions>().BindConfiguration(PasskeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasskeyOptions>, PasskeyOptionsValidator>());
        services.TryAddSingleton<IFido2>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PasskeyOptions>>().Value;
            var publicUrl = provider.GetRequiredService<IOptions<PublicUrlOptions>>().Value;
            return new Fido2(new Fido2Configuration
            {
                RPID = options.EffectiveServerDomain(publicUrl),
                RPName = options.ServerName,
                Origins = new HashSet<string>(options.EffectiveOrigins(publicUrl), StringComparer.OrdinalIgnoreCase),
                Timeout = (uint)options.ChallengeLifetimeSeconds * 1000,
            }, null!);
        });
        services.TryAddScoped<PasskeyCeremonies>();
        return services;
    }
}
