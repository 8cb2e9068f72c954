using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RustDesk.Core;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// RustDesk.Core's services on a real SQLite file, without the web host: what Core tests and bUnit tests use.
/// Time is a <see cref="FakeTimeProvider"/> that the test moves.
/// </summary>
public sealed class CoreHost : IAsyncDisposable
{
    /// <summary>A password the console's rules accept (long, not common, not built from "admin" or "rustdesk").</summary>
    public const string AdminPassword = "Tall-Cactus-Mirror-2026";

    private readonly TempDirectory _directory = new();

    public CoreHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, DateTimeOffset? startTime = null)
    {
        Time = new FakeTimeProvider(startTime ?? new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var values = new Dictionary<string, string?>
        {
            ["Bootstrap:AdminPassword"] = AdminPassword,
            // The minimum OWASP figure costs ~0.2 s per hash; tests that are not about hashing use the floor too,
            // so that the production setting is what they exercise.
            ["Accounts:PasswordHashIterations"] = "210000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        DatabaseFile = _directory.File("console.db");
        var services = new ServiceCollection();
        services.AddSingleton(Configuration);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<TimeProvider>(Time);
        services.AddDataProtection().SetApplicationName("RustDesk.Console.Tests")
            .PersistKeysToFileSystem(new DirectoryInfo(_directory.File("keys")));
        // The outbox worker is registered but never started here: tests call OutboxWorker.ProcessDueAsync.
        services.AddConsoleFeatures(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={DatabaseFile}", _directory.Path));
        // The web host's cookie ticket store: how tests create and read sessions as a browser's sign-in would.
        services.AddSessionCookies();
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public IConfiguration Configuration { get; }

    public FakeTimeProvider Time { get; }

    public ListLoggerProvider Logs { get; } = new();

    public ServiceProvider Services { get; }

    public string DatabaseFile { get; }

    public string DataDirectory => _directory.Path;

    /// <summary>Migrates the database and creates the roles and <c>admin</c>.</summary>
    public async Task<CoreHost> InitializeAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return this;
    }

    /// <summary>Runs <paramref name="action"/> with a service from a fresh scope, as each web request does.</summary>
    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<ConsoleUser?> FindUserAsync(string userName) =>
        WithAsync<UserManager<ConsoleUser>, ConsoleUser?>(u => u.FindByNameAsync(userName));

    /// <summary>
    /// Creates an active user with the given password and role, stored as the database would hold it: the password is
    /// hashed without the new-password rules, like an account created before them (tests of those rules set passwords
    /// through the services instead).
    /// </summary>
    public Task<ConsoleUser> CreateUserAsync(string userName, string password, string role = Roles.User, string? email = null) =>
        WithAsync<UserManager<ConsoleUser>, ConsoleUser>(async users =>
        {
            var user = new ConsoleUser { UserName = userName, Email = email, CreatedAt = Time.GetUtcNow().UtcDateTime };
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            var result = await users.CreateAsync(user);
            Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Code)));
            await users.AddToRoleAsync(user, role);
            return user;
        });

    /// <summary>
    /// Every byte of the database files (the main file and its write-ahead log, after a checkpoint), for checks that a
    /// secret is nowhere in the database in clear: not in a row, an index, a free page or the log.
    /// </summary>
    public async Task<byte[]> DatabaseBytesAsync()
    {
        await WithAsync<ConsoleDbContext, int>(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = new[] { DatabaseFile, DatabaseFile + "-wal" }.Where(File.Exists);
        return files.SelectMany(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        _directory.Dispose();
    }
}
