using Microsoft.EntityFrameworkCore;
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
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("database unreachable");
            }
            // On SQLite, CanConnect only finds the file; a query shows that it is a database with our schema.
            await db.Users.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
