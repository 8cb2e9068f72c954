using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RustDesk.Core;
using RustDesk.Core.Accounts;
using RustDesk.Core.ClientApi;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Mail;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Bench;

/// <summary>
/// RustDesk.Core's services on a real SQLite file in a temporary folder, as the product registers them (the same
/// extension methods the web host calls), with a clock the benchmark moves and a code sender that remembers the last
/// emailed code. Each call of <see cref="Scope"/> is one request's scope.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rd-bench-").FullName;

    public BenchHost(Action<ILoggingBuilder>? logging = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bootstrap:AdminPassword"] = "Tall-Cactus-Mirror-2026",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(logging is null ? LogLevel.Warning : LogLevel.Information);
            logging?.Invoke(b);
        });
        services.AddSingleton<TimeProvider>(Time);
        services.AddDataProtection().SetApplicationName("RustDesk.Console.Bench")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_folder, "keys")));
        DatabaseFile = Path.Combine(_folder, "console.db");
        services.AddConsoleFeatures(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={DatabaseFile}", _folder));
        services.RemoveAll<IEmailCodeSender>();
        services.AddSingleton<IEmailCodeSender>(Mail);
        Services = services.BuildServiceProvider();
    }

    public SteppingClock Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public CapturingCodeSender Mail { get; } = new();

    public ServiceProvider Services { get; }

    public string DatabaseFile { get; }

    public async Task<ConsoleUser> FindUserAsync(string userName)
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName)
            ?? throw new InvalidOperationException("no user " + userName);
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    /// <summary>Migrates the database and creates the roles and <c>admin</c>, as the console does at start.</summary>
    public async Task InitializeAsync()
    {
        await using var scope = Scope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }

    /// <summary>A user with a password (hashed with the configured settings), created through Identity.</summary>
    public async Task<ConsoleUser> CreateUserAsync(string userName, string? email = null, bool emailVerification = false)
    {
        await using var scope = Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser
        {
            UserName = userName, Email = email, EmailConfirmed = email is not null, EmailLoginVerification = emailVerification,
            CreatedAt = Time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = users.PasswordHasher.HashPassword(user, "Tall-Cactus-Mirror-2026");
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(", ", result.Errors.Select(e => e.Code)));
        }
        await users.AddToRoleAsync(user, Roles.User);
        return user;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A clock that stands still until the benchmark moves it (TOTP steps, code lifetimes).</summary>
public sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Remembers the last code instead of mailing it (the outbox's own cost is not what these benchmarks measure).</summary>
public sealed class CapturingCodeSender : IEmailCodeSender
{
    private long _id;

    public string LastCode { get; private set; } = "";

    public Task<long> QueueAsync(EmailCodeDelivery delivery, CancellationToken cancellationToken = default)
    {
        LastCode = delivery.Code;
        return Task.FromResult(Interlocked.Increment(ref _id));
    }

    public Task<bool> HasFailedAsync(long messageId, CancellationToken cancellationToken = default) => Task.FromResult(false);
}
