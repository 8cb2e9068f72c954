using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor;

public static class TwoFactorServiceCollectionExtensions
{
    /// <summary>The 2FA building blocks: TOTP keys, backup codes, checking a code (the settings page's services are <c>AddTwoFactorSettings</c>).</summary>
    public static IServiceCollection AddTwoFactor(this IServiceCollection services)
    {
        services.AddOptions<TwoFactorOptions>().BindConfiguration(TwoFactorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TotpSecretProtector>();
        services.TryAddSingleton<BackupCodeHasher>();
        services.TryAddScoped<BackupCodeService>();
        services.TryAddScoped<SecondFactorVerifier>();
        return services;
    }
}
