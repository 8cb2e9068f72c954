using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using RustDesk.Core.Data;

namespace RustDesk.Tests.Core.Data;

/// <summary>Each provider's migrations match the model; a model change without a migration fails here.</summary>
public sealed class MigrationsTests
{
    private const string DummySqlServer = "Server=tcp:no-such-server.invalid,1433;Database=RustDeskConsole;User Id=x;Password=y;TrustServerCertificate=True";

    private static SqliteConsoleDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<SqliteConsoleDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static SqlServerConsoleDbContext SqlServer() =>
        new(new DbContextOptionsBuilder<SqlServerConsoleDbContext>().UseSqlServer(DummySqlServer).Options);

    [Fact]
    public void HasPendingModelChanges_Sqlite_False()
    {
        using var db = Sqlite();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void HasPendingModelChanges_SqlServer_False()
    {
        using var db = SqlServer();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void GetMigrations_EachProvider_HasItsOwnMigrations()
    {
        using var sqlite = Sqlite();
        using var sqlServer = SqlServer();

        Assert.NotEmpty(sqlite.Database.GetMigrations());
        Assert.NotEmpty(sqlServer.Database.GetMigrations());
        Assert.Empty(sqlite.Database.GetMigrations().Intersect(sqlServer.Database.GetMigrations()));
    }

    [Fact]
    public void GenerateScript_SqlServerIdempotent_CreatesTablesBehindGuards()
    {
        // Arrange
        using var db = SqlServer();

        // Act
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var path = Path.Combine(AppContext.BaseDirectory, "sqlserver-idempotent.sql");
        File.WriteAllText(path, script);

        // Assert: what an operator runs by hand on SQL Server, safe to run twice.
        Assert.Contains("CREATE TABLE [AspNetUsers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetRoles]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [Sessions]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [DataProtectionKeys]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [PasskeyCredentials]", script, StringComparison.Ordinal);
        Assert.Contains("IF NOT EXISTS", script, StringComparison.Ordinal);
        Assert.Contains("[__EFMigrationsHistory]", script, StringComparison.Ordinal);
        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.Contains($"N'{migration}'", script, StringComparison.Ordinal);
        }
    }
}
