using Microsoft.Extensions.Diagnostics.HealthChecks;
using RustDesk.Core.Data;

namespace RustDesk.Web.Hosting;

/// <summary>Healthy while the database answers; <c>/healthz</c> then returns 200, otherwise 503.</summary>
public sealed class DatabaseHealthCheck(ConsoleDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
