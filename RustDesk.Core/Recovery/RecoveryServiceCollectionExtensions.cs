using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Recovery;

public static class RecoveryServiceCollectionExtensions
{
    /// <summary>The command-line recovery (run by the web host before it would start serving).</summary>
    public static IServiceCollection AddRecovery(this IServiceCollection services)
    {
        services.TryAddScoped<RecoveryService>();
        return services;
    }
}
