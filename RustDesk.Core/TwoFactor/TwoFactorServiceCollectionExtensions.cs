using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RustDesk.Core.Authentication;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Core.TwoFactor;

public static class TwoFactorServiceCollectionExtensions
{
    /// <summary>TOTP 2FA, backup codes, emailed codes and the second sign-in step (the mail itself comes from AddConsoleMail).</summary>
    public static IServiceCollection AddConsoleTwoFactor(this IServiceCollection services)
    {
        services.AddOptions<TwoFactorOptions>().BindConfiguration(TwoFactorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TotpSecretProtector>();
        services.TryAddSingleton<BackupCodeHasher>();
        services.TryAddScoped<BackupCodeService>();
        services.TryAddScoped<SecondFactorVerifier>();
        services.TryAddScoped<TwoFactorService>();
        services.TryAddScoped<ReVerification.ReVerificationService>();
        services.TryAddScoped<ReVerification.ReVerificationPolicy>();
        services.TryAddScoped<ReVerification.FailedProofs>();
        services.TryAddScoped<TotpEnrollmentService>();
        services.TryAddScoped<PendingSignInService>();
        services.TryAddScoped<SecondFactorSignInService>();
        services.AddOptions<EmailVerificationOptions>().BindConfiguration(EmailVerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Security.ServerSecrets>();
        services.TryAddSingleton<EmailCodeHasher>();
        services.TryAddScoped<EmailSignInService>();
        services.TryAddScoped<EmailAddressChangeService>();
        Passkeys.PasskeyServiceCollectionExtensions.AddConsolePasskeys(services);
        return services;
    }
}
