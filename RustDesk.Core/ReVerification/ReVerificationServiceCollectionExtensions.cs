using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.ReVerification;

public static class ReVerificationServiceCollectionExtensions
{
    /// <summary>The re-verification policy, the grants a session earns, and the counting of wrong proofs.</summary>
    public static IServiceCollection AddReVerification(this IServiceCollection services)
    {
        services.TryAddScoped<ReVerificationService>();
        services.TryAddScoped<ReVerificationPolicy>();
        services.TryAddScoped<FailedProofs>();
        return services;
    }
}
