using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The append-only audit log.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.TryAddScoped<AuditLog>();
        return services;
    }
}
