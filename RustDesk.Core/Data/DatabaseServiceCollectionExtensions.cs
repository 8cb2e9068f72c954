using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace RustDesk.Core.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConsoleDbContext"/> (scoped) and its factory on the configured provider, and the clock every
    /// folder reads (<see cref="TimeProvider.System"/> unless the host registered another first, as tests do).
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, DatabaseSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(settings);
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            services.AddDbContextFactory<SqlServerConsoleDbContext>(o => o.UseSqlServer(settings.ConnectionString));
            services.AddProviderContext<SqlServerConsoleDbContext>();
        }
        else
        {
            Directory.CreateDirectory(settings.DataDirectory);
            // EF Core rebuilds a SQLite table to alter a column, switching foreign keys off around it, which SQLite allows
            // only outside a transaction; EF Core warns of it on every database it migrates. Nothing an operator can act
            // on at that moment (docs/deployment.md, "Upgrades": back up first), so it is logged as information.
            services.AddDbContextFactory<SqliteConsoleDbContext>(o => o.UseSqlite(settings.ConnectionString)
                .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information))));
            services.AddProviderContext<SqliteConsoleDbContext>();
        }
        services.TryAddScoped<DatabaseInitializer>();
        return services;
    }

    private static void AddProviderContext<TContext>(this IServiceCollection services) where TContext : ConsoleDbContext
    {
        services.TryAddScoped<ConsoleDbContext>(sp => sp.GetRequiredService<TContext>());
        services.TryAddSingleton<IDbContextFactory<ConsoleDbContext>>(sp =>
            new ProviderContextFactory<TContext>(sp.GetRequiredService<IDbContextFactory<TContext>>()));
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<ConsoleDbContext>
        where TContext : ConsoleDbContext
    {
        public ConsoleDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
