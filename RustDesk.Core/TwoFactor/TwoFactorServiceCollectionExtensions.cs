using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor;

public static class TwoFactorServiceCollectionExtensions
{
    /// <summary>TOTP 2FA, its enrolment, backup codes, 2FA state and expiry.</summary>
    public static IServiceCollection AddTwoFactor(this IServiceCollection services)
    {
        services.AddOptions<TwoFactorOptions>().BindConfiguration(TwoFactorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TotpSecretProtector>();
        services.TryAddSingleton<BackupCodeHasher>();
        services.TryAddScoped<BackupCodeService>();
        services.TryAddScoped<SecondFactorVerifier>();
        services.TryAddScoped<TwoFactorService>();
        services.TryAddScoped<TotpEnrollmentService>();
        return services;
    }
}
