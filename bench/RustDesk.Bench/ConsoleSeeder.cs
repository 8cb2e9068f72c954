using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RustDesk.Core;
using RustDesk.Core.Accounts;
using RustDesk.Core.ClientApi;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Core.Security;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Bench;

/// <summary>
/// <c>RustDesk.Bench seed --data DIR --users N [--totp] [--prefix load-] --password P --out users.tsv</c>: prepares a console's data
/// folder for the load tool before the console starts, through RustDesk.Core's own services on the console's
/// configuration (RustDesk.Web/appsettings.json, so the same password-hash settings): migrates and bootstraps the
/// database as the console does, creates users load-00001… (<c>--prefix</c>) with Identity (one hash computed with the configured hasher
/// and stored for all: same cost to verify, seconds instead of minutes to seed), gives each a TOTP key encrypted with
/// the console's key ring (in the database, as the console reads it), and writes "name TAB base32 key" lines.
/// </summary>
public static class ConsoleSeeder
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var data = Path.GetFullPath(Arg("data", "data"));
        var count = int.Parse(Arg("users", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var totp = args.Contains("--totp");
        var prefix = Arg("prefix", "load-");
        var password = Arg("password", "Tall-Cactus-Mirror-2026");
        var output = Arg("out", Path.Combine(data, "users.tsv"));
        var settings = Arg("settings", Path.Combine(RepositoryRoot(), "RustDesk.Web", "appsettings.json"));
        Directory.CreateDirectory(data);

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(settings, optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [DatabaseSettings.DataDirectoryKey] = data,
                ["Bootstrap:AdminPassword"] = Arg("admin-password", password),
            })
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddConsoleFeatures(DatabaseSettings.From(configuration, data));
        services.AddConsoleDataProtection(configuration, data);
        await using var provider = services.BuildServiceProvider();

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        }
        var lines = new List<string>();
        string hash;
        await using (var scope = provider.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            hash = users.PasswordHasher.HashPassword(new ConsoleUser(), password);
        }
        var now = DateTime.UtcNow;
        for (var i = 1; i <= count; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            var user = new ConsoleUser { UserName = $"{prefix}{i:D5}", CreatedAt = now, PasswordHash = hash };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join(", ", created.Errors.Select(e => e.Code)));
            }
            await users.AddToRoleAsync(user, Roles.User);
            var base32 = "";
            if (totp)
            {
                var key = TotpSecret.Generate();
                var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
                db.TotpAuthenticators.Add(new TotpAuthenticator
                {
                    UserId = user.Id,
                    ProtectedSecret = scope.ServiceProvider.GetRequiredService<TotpSecretProtector>().Protect(key),
                    EnabledAt = now,
                    SecretChangedAt = now,
                });
                await db.SaveChangesAsync();
                base32 = TotpSecret.ToBase32(key);
            }
            lines.Add($"{user.UserName}\t{base32}\t{password}");
        }
        await File.WriteAllLinesAsync(output, lines);
        Console.WriteLine($"seeded {count} users{(totp ? " with TOTP" : "")} into {data}; list in {output}");
        return 0;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RustDesk.Blazor.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
