using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.EmailVerification;

public static class EmailVerificationServiceCollectionExtensions
{
    /// <summary>Emailed codes (hashing, sending) and the proof of a new address (the Basic-tab save, above it, decides what needs proving); the emailed-code sign-in step is Authentication's (the mail itself comes from <c>AddMail</c>).</summary>
    public static IServiceCollection AddEmailVerification(this IServiceCollection services)
    {
        services.AddOptions<EmailVerificationOptions>().BindConfiguration(EmailVerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<EmailCodeHasher>();
        services.TryAddScoped<IEmailCodeSender, OutboxEmailCodeSender>();
        services.TryAddScoped<AddressProof>();
        return services;
    }
}
