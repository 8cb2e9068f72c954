using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RustDesk.Core.Authentication;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor;

public static class TwoFactorServiceCollectionExtensions
{
    /// <summary>TOTP 2FA, backup codes and the second sign-in step.</summary>
    public static IServiceCollection AddConsoleTwoFactor(this IServiceCollection services)
    {
        services.AddOptions<TwoFactorOptions>().BindConfiguration(TwoFactorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TotpSecretProtector>();
        services.TryAddSingleton<BackupCodeHasher>();
        services.TryAddScoped<BackupCodeService>();
        services.TryAddScoped<TwoFactorService>();
        services.TryAddScoped<TotpEnrollmentService>();
        services.TryAddScoped<PendingSignInService>();
        services.TryAddScoped<SecondFactorSignInService>();
        return services;
    }
}
