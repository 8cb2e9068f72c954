using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace RustDesk.Core.Data;

/// <summary>
/// What a feature puts into the database at start-up, after the migrations (Accounts: the roles and, on an empty
/// database, the administrator). Owned here so that start-up does not depend on the features above it.
/// </summary>
public interface IDatabaseSeed
{
    Task SeedAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs at start-up: applies migrations, then each feature's <see cref="IDatabaseSeed"/> in registration order.
/// Migrations run only when one is pending (<see cref="HasPendingMigrationsAsync"/>): <c>MigrateAsync</c> on an
/// up-to-date database still takes the migration lock, builds the model snapshot and diffs it against the model (EF
/// Core's pending-model-changes check, which the migration tests make at build time) — a third of the start-up time on
/// an existing database (docs/performance.md).
/// </summary>
public sealed class DatabaseInitializer(ConsoleDbContext db, IEnumerable<IDatabaseSeed> seeds)
{
    /// <summary>The administrator an empty database gets (by <c>Accounts/AccountSeed</c>).</summary>
    public const string AdminUserName = "admin";

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        // Several consoles may start together on one database: each that sees a pending migration runs MigrateAsync,
        // whose lock lets one apply it while the others wait and then find nothing left to do.
        if (await HasPendingMigrationsAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets the console read while the outbox worker writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        foreach (var seed in seeds)
        {
            await seed.SeedAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Whether a migration this build knows is missing from the history table. Reads the table's ids with one plain
    /// query: EF Core's <c>GetPendingMigrationsAsync</c> first builds a model of the history table and asks whether it
    /// exists, ~0.1 s of every start (docs/performance.md). No table (an empty database) means every migration.
    /// </summary>
    private async Task<bool> HasPendingMigrationsAsync(CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText =
                $"SELECT {sql.DelimitIdentifier("MigrationId")} FROM {sql.DelimitIdentifier(HistoryRepository.DefaultTableName)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (DbException)
        {
            // No history table yet. Anything else wrong with the database, MigrateAsync reports in its own words.
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return known.Exists(id => !applied.Contains(id));
    }
}
