using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Data;

public sealed partial class DatabaseInitializerTests
{
    [Fact]
    public async Task InitializeAsync_FreshFile_AppliesEveryMigration()
    {
        // Arrange
        await using var host = new CoreHost();
        Assert.False(File.Exists(host.DatabaseFile));

        // Act
        await host.InitializeAsync();

        // Assert
        Assert.True(File.Exists(host.DatabaseFile));
        var (all, applied, pending) = await host.WithAsync<ConsoleDbContext, (List<string>, List<string>, List<string>)>(async db =>
            (db.Database.GetMigrations().ToList(),
             (await db.Database.GetAppliedMigrationsAsync()).ToList(),
             (await db.Database.GetPendingMigrationsAsync()).ToList()));
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Empty(pending);
    }

    [Fact]
    public async Task InitializeAsync_FreshFile_LogsNoWarning()
    {
        // Arrange
        await using var host = new CoreHost();

        // Act
        await host.InitializeAsync();

        // Assert: an operator's first start shows no warning; the table rebuild's step outside a transaction is
        // still in the log, as information.
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Information
            && e.EventId.Id == RelationalEventId.NonTransactionalMigrationOperationWarning.Id);
    }

    [Fact]
    public async Task InitializeAsync_OneMigrationBehind_AppliesTheMissingOne()
    {
        // Arrange: an existing database from the release before the newest migration.
        await using var host = new CoreHost();
        await host.InitializeAsync();
        var all = await host.WithAsync<ConsoleDbContext, List<string>>(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        await host.WithAsync<ConsoleDbContext, int>(async db =>
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(all[^2]);
            return 0;
        });
        Assert.Equal([all[^1]], await host.WithAsync<ConsoleDbContext, List<string>>(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));

        // Act
        await host.InitializeAsync();

        // Assert
        Assert.Empty(await host.WithAsync<ConsoleDbContext, List<string>>(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));
        Assert.Equal(all, await host.WithAsync<ConsoleDbContext, List<string>>(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
    }

    [Fact]
    public async Task InitializeAsync_UpToDate_RunsNoMigrationStep()
    {
        // Arrange
        await using var host = new CoreHost();
        await host.InitializeAsync();
        Assert.Contains(host.Logs.Lines, l => l.Contains(MigrationLockLine, StringComparison.Ordinal)); // what a migration run logs
        var linesAfterFirst = host.Logs.Lines.Count;

        // Act: the next start on the same database.
        await host.InitializeAsync();

        // Assert: no migration lock taken (no snapshot diff, no history-table script), and the database still works.
        Assert.DoesNotContain(host.Logs.Lines.Skip(linesAfterFirst), l => l.Contains(MigrationLockLine, StringComparison.Ordinal));
        Assert.NotNull(await host.FindUserAsync("admin"));
    }

    private const string MigrationLockLine = "Acquiring an exclusive lock for migration application";

    [Fact]
    public async Task InitializeAsync_HistoryHoldsAMigrationThisBuildDoesNotKnow_RunsNoMigrationStep()
    {
        // Arrange: the database of a newer console (one more migration in its history), started by this older build.
        await using var host = new CoreHost();
        await host.InitializeAsync();
        await host.WithAsync<ConsoleDbContext, int>(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('99991231000000_FromANewerConsole', '10.0.0')"));
        var linesBefore = host.Logs.Lines.Count;

        // Act
        await host.InitializeAsync();

        // Assert: what it knows is applied, so it migrates nothing (as EF Core's own pending check would say).
        Assert.DoesNotContain(host.Logs.Lines.Skip(linesBefore), l => l.Contains(MigrationLockLine, StringComparison.Ordinal));
        Assert.NotNull(await host.FindUserAsync("admin"));
    }

    [Fact]
    public async Task InitializeAsync_Twice_CreatesAdminAndRolesOnce()
    {
        await using var host = new CoreHost();

        await host.InitializeAsync();
        await host.InitializeAsync();

        var userNames = await host.WithAsync<ConsoleDbContext, List<string?>>(db => db.Users.Select(u => u.UserName).ToListAsync());
        Assert.Equal(["admin"], userNames);
        var roleNames = await host.WithAsync<ConsoleDbContext, List<string?>>(db => db.Roles.Select(r => r.Name).OrderBy(n => n).ToListAsync());
        Assert.Equal(["Administrator", "Support", "User"], roleNames);
        var adminRoles = await host.WithAsync<UserManager<ConsoleUser>, IList<string>>(async u => await u.GetRolesAsync((await u.FindByNameAsync("admin"))!));
        Assert.Equal(["Administrator"], adminRoles);
    }

    [Fact]
    public async Task InitializeAsync_NoConfiguredPassword_LogsRandomPasswordOnceThatSignsIn()
    {
        // Arrange
        await using var host = new CoreHost(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" });

        // Act
        await host.InitializeAsync();

        // Assert: one line carries the password, the password appears nowhere else, and it is admin's password.
        var lines = host.Logs.Lines.Where(l => l.Contains("generated password", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        var password = GeneratedPassword().Match(line).Groups[1].Value;
        Assert.True(password.Length >= 16, $"'{password}' is too short for a generated password");
        Assert.Single(Regex.Matches(host.Logs.AllText, Regex.Escape(password)));
        Assert.NotEqual(CoreHost.AdminPassword, password);
        var result = await host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", password));
        Assert.Equal(PasswordCheckStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task InitializeAsync_SecondStartWithoutConfiguredPassword_LogsNoPassword()
    {
        await using var host = new CoreHost(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" });
        await host.InitializeAsync();
        var password = GeneratedPassword().Match(host.Logs.AllText).Groups[1].Value;
        var linesAfterFirst = host.Logs.Lines.Count;

        await host.InitializeAsync();

        var later = host.Logs.Lines.Skip(linesAfterFirst).ToList();
        Assert.DoesNotContain(later, l => l.Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(later, l => l.Contains(password, StringComparison.Ordinal));
        Assert.Single(Regex.Matches(host.Logs.AllText, Regex.Escape(password)));
    }

    [Fact]
    public async Task InitializeAsync_ConfiguredPassword_SignsInAndIsNeverLogged()
    {
        await using var host = new CoreHost();

        await host.InitializeAsync();

        Assert.DoesNotContain(CoreHost.AdminPassword, host.Logs.AllText, StringComparison.Ordinal);
        var result = await host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", CoreHost.AdminPassword));
        Assert.Equal(PasswordCheckStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task InitializeAsync_ConfiguredPasswordTooShort_FailsNamingTheKey()
    {
        await using var host = new CoreHost(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "Zq9#kW" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.InitializeAsync());

        Assert.Contains("Bootstrap:AdminPassword", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq9#kW", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password123")]
    [InlineData("Admin-Password-1")]
    [InlineData("rustdesk-admin-2026")]
    public async Task InitializeAsync_ConfiguredPasswordTooEasyToGuess_FailsNamingTheKeyAndCreatesNoAdmin(string weak)
    {
        await using var host = new CoreHost(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = weak });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.InitializeAsync());

        Assert.Contains("Bootstrap:AdminPassword", error.Message, StringComparison.Ordinal);
        Assert.Contains("too easy to guess", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(weak, error.Message, StringComparison.Ordinal);
        Assert.Null(await host.FindUserAsync("admin"));
    }

    [Fact]
    public async Task InitializeAsync_GeneratedPassword_MustBeChangedConfiguredOneNeedNot()
    {
        await using var generated = new CoreHost(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" });
        await using var configured = new CoreHost();

        await generated.InitializeAsync();
        await configured.InitializeAsync();

        var generatedAdmin = (await generated.FindUserAsync("admin"))!;
        var configuredAdmin = (await configured.FindUserAsync("admin"))!;
        Assert.True(await generated.WithAsync<PasswordChangeRequirement, bool>(r => r.MustChangePasswordAsync(generatedAdmin.Id)));
        Assert.False(await configured.WithAsync<PasswordChangeRequirement, bool>(r => r.MustChangePasswordAsync(configuredAdmin.Id)));
    }

    [GeneratedRegex(@"generated password (\S+) \.")]
    private static partial Regex GeneratedPassword();
}
