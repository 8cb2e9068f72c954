using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.Security;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Bench;

/// <summary>
/// <c>RustDesk.Bench scale [--users 100000] [--audit 1000000] [--runs 20] [--keep DIR]</c>: the users grid and the
/// audit page on a big database. Seeds in bulk with SQL (one INSERT … SELECT over a counter each, copying a user that
/// Identity created, so every column holds what Identity writes; a third of the users get a TOTP row, a tenth a
/// second role), then runs <see cref="UserDirectory.SearchAsync"/> and <see cref="AuditLog.SearchAsAsync"/> as the pages
/// call them (an administrator's stored session) <c>--runs</c> times per query, prints p50/p95, and prints SQLite's
/// <c>EXPLAIN QUERY PLAN</c> for each SQL statement the services sent (captured from EF Core's command log; run with
/// the sqlite3 command, which binds the parameters as NULL — the plan does not depend on them).
/// </summary>
public static class ScaleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var userCount = int.Parse(Arg("users", "100000"), CultureInfo.InvariantCulture);
        var auditCount = int.Parse(Arg("audit", "1000000"), CultureInfo.InvariantCulture);
        var runs = int.Parse(Arg("runs", "20"), CultureInfo.InvariantCulture);
        var capture = new SqlCapture();
        await using var host = new BenchHost(logging => logging.AddProvider(capture));
        await host.InitializeAsync();
        var template = await host.CreateUserAsync("template-user", "template-user@example.com");

        var clock = Stopwatch.StartNew();
        await using (var scope = host.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            await SeedAsync(db, template.Id, userCount, auditCount);
        }
        Console.WriteLine($"seeded {userCount:N0} users and {auditCount:N0} audit rows in {clock.Elapsed.TotalSeconds:F0} s ({new FileInfo(host.DatabaseFile).Length / 1048576} MB)");

        var admin = await host.FindUserAsync(DatabaseInitializer.AdminUserName);
        var sessionId = await StoreSessionAsync(host, admin);
        var queries = new (string Name, Func<IServiceProvider, Task<int>> Run)[]
        {
            ("users: first page, by name", sp => Users(sp, admin.Id, sessionId, new UserQuery())),
            ("users: page 2000, by name", sp => Users(sp, admin.Id, sessionId, new UserQuery { Page = 2000 })),
            ("users: search \"user04217\"", sp => Users(sp, admin.Id, sessionId, new UserQuery { Search = "user04217" })),
            ("users: search \"example\" (all match)", sp => Users(sp, admin.Id, sessionId, new UserQuery { Search = "example" })),
            ("users: 2FA enabled, newest first", sp => Users(sp, admin.Id, sessionId,
                new UserQuery { TwoFactor = TwoFactorState.Enabled, SortBy = UserSortField.Created, Descending = true })),
            ("users: by 2FA state", sp => Users(sp, admin.Id, sessionId, new UserQuery { SortBy = UserSortField.TwoFactorState })),
            ("audit: first page", sp => Audit(sp, admin.Id, sessionId, new AuditQuery())),
            ("audit: page 1000", sp => Audit(sp, admin.Id, sessionId, new AuditQuery(Page: 1000))),
            ("audit: kind sign-in.*", sp => Audit(sp, admin.Id, sessionId, new AuditQuery(KindPrefix: AuditKindGroups.SignIn))),
            ("audit: one user", sp => Audit(sp, admin.Id, sessionId, new AuditQuery(UserId: "scale-0004217"))),
            ("audit: text \"203.0.113.9\"", sp => Audit(sp, admin.Id, sessionId, new AuditQuery(Text: "203.0.113.9"))),
            ("audit: last 24 hours", sp => Audit(sp, admin.Id, sessionId,
                new AuditQuery(From: host.Time.GetUtcNow().UtcDateTime.AddDays(-1)))),
            ("sign-in lookup: FindByNameAsync", async sp =>
                await sp.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync("user04217") is null ? 0 : 1),
        };
        Console.WriteLine();
        Console.WriteLine("| query | rows | p50 ms | p95 ms |");
        Console.WriteLine("|---|---|---|---|");
        var plans = new List<(string, string)>();
        foreach (var (name, run) in queries)
        {
            var times = new List<double>();
            var rows = 0;
            for (var i = 0; i <= runs; i++)
            {
                await using var scope = host.Scope();
                capture.Start(i == 0);
                var started = Stopwatch.GetTimestamp();
                rows = await run(scope.ServiceProvider);
                if (i > 0)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                if (i == 0)
                {
                    plans.AddRange(capture.Take().Select(sql => (name, sql)));
                }
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {rows:N0} | {times[(times.Count - 1) / 2]:F1} | {times[(int)Math.Ceiling(0.95 * times.Count) - 1]:F1} |"));
        }
        Console.WriteLine();
        foreach (var (name, sql) in plans.DistinctBy(p => p.Item2))
        {
            Console.WriteLine($"-- {name}");
            Console.WriteLine(sql.Trim());
            Console.WriteLine(await PlanAsync(host.DatabaseFile, sql));
        }
        var keep = Arg("keep", "");
        if (keep.Length > 0)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Copy(host.DatabaseFile, keep, overwrite: true);
        }
        return 0;
    }

    private static async Task<int> Users(IServiceProvider sp, string actor, string session, UserQuery query) =>
        (await sp.GetRequiredService<UserDirectory>().SearchAsync(actor, session, query)).Total;

    private static async Task<int> Audit(IServiceProvider sp, string actor, string session, AuditQuery query) =>
        (await sp.GetRequiredService<AuditLog>().SearchAsAsync(actor, session, query)).Total;

    private static async Task SeedAsync(ConsoleDbContext db, string templateId, int users, int audit)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        async Task<List<string>> ColumnsAsync(string table)
        {
            var names = new List<string>();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
            return names;
        }
        var userColumns = await ColumnsAsync("AspNetUsers");
        var overrides = new Dictionary<string, string>
        {
            ["Id"] = "printf('scale-%07d', n)",
            ["UserName"] = "printf('user%05d', n)",
            ["NormalizedUserName"] = "printf('USER%05d', n)",
            ["Email"] = "printf('user%05d@example.com', n)",
            ["NormalizedEmail"] = "printf('USER%05d@EXAMPLE.COM', n)",
            ["SecurityStamp"] = "upper(hex(randomblob(16)))",
            ["ConcurrencyStamp"] = "lower(hex(randomblob(16)))",
            ["CreatedAt"] = "strftime('%Y-%m-%d %H:%M:%f', t.CreatedAt, printf('-%d minutes', n))",
            ["TwoFactorEnforced"] = "(n % 7 = 0)",
            ["EmailLoginVerification"] = "(n % 5 = 0)",
        };
        var select = string.Join(", ", userColumns.Select(c => overrides.TryGetValue(c, out var e) ? e : "t." + c));
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        string[] statements =
        [
            "PRAGMA synchronous=OFF",
            "BEGIN",
            $"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {users}) " +
            $"INSERT INTO AspNetUsers ({string.Join(", ", userColumns)}) SELECT {select} FROM c, AspNetUsers t WHERE t.Id = '{templateId}'",
            "INSERT INTO AspNetUserRoles (UserId, RoleId) SELECT u.Id, r.Id FROM AspNetUsers u, AspNetRoles r " +
            $"WHERE u.Id LIKE 'scale-%' AND (r.Name = '{Roles.User}' OR (r.Name = '{Roles.Support}' AND CAST(substr(u.Id, 7) AS INTEGER) % 10 = 0))",
            $"INSERT INTO TotpAuthenticators (UserId, ProtectedSecret, LastAcceptedStep, EnabledAt, SecretChangedAt) " +
            $"SELECT Id, 'not-a-key', 0, CreatedAt, CreatedAt FROM AspNetUsers WHERE Id LIKE 'scale-%' AND CAST(substr(Id, 7) AS INTEGER) % 3 = 0",
            $"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {audit}) " +
            "INSERT INTO AuditEvents (At, Kind, ActorUserId, ActorName, TargetUserId, TargetName, IpAddress, UserAgent, Detail, Count) " +
            $"SELECT strftime('%Y-%m-%d %H:%M:%f', '{now}', printf('-%d seconds', ({audit} - n) * 20)), " +
            "CASE n % 6 WHEN 0 THEN 'sign-in.succeeded' WHEN 1 THEN 'sign-in.failed' WHEN 2 THEN '2fa.totp-used' " +
            "WHEN 3 THEN 'session.revoked' WHEN 4 THEN 'settings.email-changed' ELSE 'staff.user-updated' END, " +
            $"printf('scale-%07d', 1 + n % {users}), printf('user%05d', 1 + n % {users}), " +
            $"printf('scale-%07d', 1 + (n * 7) % {users}), printf('user%05d', 1 + (n * 7) % {users}), " +
            "printf('203.0.113.%d', n % 250), 'Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0', '', 1 FROM c",
            "COMMIT",
            "ANALYZE",
        ];
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 600;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A stored session of the administrator, as the cookie handler makes one at sign-in (the page's
    /// session id is the hash of the cookie's key).</summary>
    private static async Task<string> StoreSessionAsync(BenchHost host, ConsoleUser user)
    {
        await using var scope = host.Scope();
        var id = OpaqueKey.Hash(OpaqueKey.New());
        await scope.ServiceProvider.GetRequiredService<BrowserSessionStore>().CreateAsync(id, user.Id, user.SecurityStamp ?? "",
            persistent: false, deviceHash: null, ipAddress: null, userAgent: null, ticket: [], CancellationToken.None);
        return id;
    }

    private static async Task<string> PlanAsync(string file, string sql)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync("EXPLAIN QUERY PLAN " + sql.Trim().TrimEnd(';') + ";\n");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    /// <summary>The SQL of every command EF Core executed while capturing (its Information-level command log).</summary>
    private sealed class SqlCapture : ILoggerProvider
    {
        private readonly List<string> _commands = [];
        private volatile bool _on;

        public void Start(bool on)
        {
            lock (_commands)
            {
                _commands.Clear();
            }
            _on = on;
        }

        public List<string> Take()
        {
            _on = false;
            lock (_commands)
            {
                return [.. _commands];
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName == DbLoggerCategory.Database.Command.Name);

        public void Dispose()
        {
        }

        private sealed class Logger(SqlCapture owner, bool commands) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => commands && owner._on;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (owner._on && eventId.Id == Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted.Id
                    && state is IReadOnlyList<KeyValuePair<string, object?>> values
                    && values.FirstOrDefault(v => v.Key == "commandText").Value is string sql)
                {
                    lock (owner._commands)
                    {
                        owner._commands.Add(sql);
                    }
                }
            }
        }
    }
}
