using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using RustDesk.Core.Data;
using RustDesk.Core.Data.CompiledModels.Sqlite;
using RustDesk.Core.Data.CompiledModels.SqlServer;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Data;

/// <summary>
/// The console runs on EF Core's compiled models (scripts/optimize-model.sh), not on a model built by convention at
/// start-up. A compiled model is generated code: a model change without regenerating it would leave the console on
/// the old model. These tests compare each provider's compiled model with the model its code builds.
/// </summary>
public sealed class CompiledModelTests
{
    private const string DummySqlServer = "Server=tcp:no-such-server.invalid,1433;Database=RustDeskConsole;User Id=x;Password=y;TrustServerCertificate=True";

    [Fact]
    public void Model_Sqlite_IsTheCompiledModel()
    {
        using var db = Sqlite();

        Assert.IsType<SqliteConsoleDbContextModel>(db.Model);
    }

    [Fact]
    public void Model_SqlServer_IsTheCompiledModel()
    {
        using var db = SqlServer();

        Assert.IsType<SqlServerConsoleDbContextModel>(db.Model);
    }

    [Fact]
    public void CompiledModel_Sqlite_MatchesTheModelOfTheCode()
    {
        using var db = Sqlite();

        Assert.Empty(Differences(db));
    }

    [Fact]
    public void CompiledModel_SqlServer_MatchesTheModelOfTheCode()
    {
        using var db = SqlServer();

        Assert.Empty(Differences(db));
    }

    /// <summary>
    /// The model the console builds can depend on its services (Identity's store options shape its tables), which the
    /// generator does not see: built here with the console's services, bypassing EF Core's per-type model cache.
    /// </summary>
    [Fact]
    public async Task CompiledModel_WithTheConsolesServices_MatchesTheModelTheConsoleBuilds()
    {
        await using var host = new CoreHost(configure: services => services.ConfigureDbContext<SqliteConsoleDbContext>(
            o => o.ReplaceService<IModelCacheKeyFactory, FreshModelKeys>()));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();

        Assert.IsType<SqliteConsoleDbContextModel>(db.Model);
        Assert.Empty(Differences(db));
    }

    private sealed class FreshModelKeys : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => new object();
    }

    private static SqliteConsoleDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<SqliteConsoleDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static SqlServerConsoleDbContext SqlServer() =>
        new(new DbContextOptionsBuilder<SqlServerConsoleDbContext>().UseSqlServer(DummySqlServer).Options);

    /// <summary>
    /// Every table, column (store type, nullability), key, index (columns, uniqueness, filter) and foreign key (columns,
    /// principal, delete rule) of the database each model maps to, plus each property's CLR type and value converter:
    /// what the two models disagree on, empty when they agree.
    /// </summary>
    private static List<string> Differences(DbContext db)
    {
        var compiled = Shape(db.Model).ToHashSet();
        var code = Shape(db.GetService<IDesignTimeModel>().Model).ToHashSet();
        return code.Except(compiled).Select(s => "only in code: " + s)
            .Concat(compiled.Except(code).Select(s => "only compiled: " + s))
            .ToList();
    }

    private static IEnumerable<string> Shape(IModel model)
    {
        foreach (var table in model.GetRelationalModel().Tables)
        {
            yield return $"table {table.Name}";
            foreach (var column in table.Columns)
            {
                yield return $"column {table.Name}.{column.Name} {column.StoreType} null={column.IsNullable}";
            }
            foreach (var key in table.UniqueConstraints)
            {
                yield return $"key {table.Name}.{key.Name} ({Names(key.Columns)}) primary={key.GetIsPrimaryKey()}";
            }
            foreach (var index in table.Indexes)
            {
                yield return $"index {table.Name}.{index.Name} ({Names(index.Columns)}) unique={index.IsUnique} filter={index.Filter}";
            }
            foreach (var foreignKey in table.ForeignKeyConstraints)
            {
                yield return $"fk {table.Name}.{foreignKey.Name} ({Names(foreignKey.Columns)}) -> {foreignKey.PrincipalTable.Name} on delete {foreignKey.OnDeleteAction}";
            }
        }
        foreach (var property in model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            yield return $"property {property.DeclaringType.Name}.{property.Name} {property.ClrType.Name} "
                + $"max={property.GetMaxLength()} concurrency={property.IsConcurrencyToken} converter={property.GetTypeMapping().Converter?.ProviderClrType.Name}";
        }
    }

    private static string Names(IEnumerable<IColumn> columns) => string.Join(",", columns.Select(c => c.Name));
}
