using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Hosting;

/// <summary>
/// The recovery commands as an operator runs them: the console's own executable, a separate process, on the same
/// SQLite file that <see cref="CoreHost"/> prepared and then inspects.
/// </summary>
public sealed class RecoveryCommandLineTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> RunAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _host.DataDirectory,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ConnectionStrings__Console"] = $"Data Source={_host.DatabaseFile}";
        start.Environment["Storage__DataDirectory"] = _host.DataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private Task<List<AuditEvent>> AuditAsync() =>
        _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task ListUsers_PrintsEveryUserWithRolesAndTwoFactorState()
    {
        var jane = await _host.CreateUserAsync("jane", "jane password 1", email: "jane@example.com");
        await EnableAsync(_host, jane.Id);

        var (exit, output, _) = await RunAsync(null, "list-users");

        Assert.Equal(0, exit);
        Assert.Contains("admin\t\tAdministrator\toff", output);
        Assert.Contains("jane\tjane@example.com\tUser\ton", output);
        Assert.Contains(await AuditAsync(), e => e.Kind == AuditKinds.RecoveryListUsers && e.ActorName == AuditLog.CommandLineActor);
    }

    [Fact]
    public async Task SetPassword_FromStandardInput_WorksLiftsLockoutAndEndsSessions()
    {
        var session = await _host.StoreSessionAsync("admin");
        for (var i = 0; i < 10; i++)
        {
            await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", "wrong " + i));
        }

        var (exit, output, _) = await RunAsync("recovered zebra lantern", "set-password", "Admin");

        Assert.Equal(0, exit);
        Assert.Contains("Done", output);
        var check = await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", "recovered zebra lantern"));
        Assert.Equal(PasswordCheckStatus.Succeeded, check.Status);
        Assert.False(await _host.IsValidAsync(session));
        Assert.Contains(await AuditAsync(), e => e.Kind == AuditKinds.RecoverySetPassword && e.TargetName == "admin");
    }

    [Fact]
    public async Task SetPassword_TooShort_IsRefusedAndChangesNothing()
    {
        var (exit, _, error) = await RunAsync("short", "set-password", "admin");

        Assert.Equal(1, exit);
        Assert.Contains("8 to 128", error);
        var check = await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", CoreHost.AdminPassword));
        Assert.Equal(PasswordCheckStatus.Succeeded, check.Status);
    }

    [Fact]
    public async Task Reset2fa_TurnsTwoFactorOffAndSignsTheUserOut()
    {
        var admin = await _host.FindUserAsync("admin");
        await EnableAsync(_host, admin!.Id);
        var session = await _host.StoreSessionAsync("admin");

        var (exit, _, _) = await RunAsync(null, "reset-2fa", "admin");

        Assert.Equal(0, exit);
        Assert.Equal(TwoFactorState.NotEnabled, (await _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(admin.Id))).State);
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.BackupCodes.CountAsync(c => c.UserId == admin.Id)));
        Assert.False(await _host.IsValidAsync(session));
        Assert.Contains(await AuditAsync(), e => e.Kind == AuditKinds.RecoveryResetTwoFactor && e.TargetUserId == admin.Id);
    }

    [Fact]
    public async Task ResetEmailVerification_TurnsItOff()
    {
        var admin = await _host.FindUserAsync("admin");
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == admin!.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Email, "admin@example.com").SetProperty(u => u.EmailLoginVerification, true)));

        var (exit, _, _) = await RunAsync(null, "reset-email-verification", "admin");

        Assert.Equal(0, exit);
        Assert.False((await _host.FindUserAsync("admin"))!.EmailLoginVerification);
        Assert.Contains(await AuditAsync(), e => e.Kind == AuditKinds.RecoveryResetEmailVerification);
    }

    [Theory]
    [InlineData("reset-2fa")]
    [InlineData("reset-email-verification")]
    [InlineData("set-password")]
    public async Task UnknownUser_IsAClearErrorAndAudited(string command)
    {
        var (exit, _, error) = await RunAsync("some long password", command, "nobody");

        Assert.Equal(1, exit);
        Assert.Contains("No user named 'nobody'", error);
        var refused = Assert.Single(await AuditAsync(), e => e.Kind == AuditKinds.RecoveryRefused);
        Assert.Equal("recovery-unknown-user", refused.DetailKey);
    }

    [Theory]
    [InlineData("reset-2fa")]
    [InlineData("set-password")]
    public async Task MissingUser_PrintsUsage(string command)
    {
        var (exit, _, error) = await RunAsync(null, command);

        Assert.Equal(2, exit);
        Assert.Contains("Usage:", error);
        var refused = Assert.Single(await AuditAsync(), e => e.Kind == AuditKinds.RecoveryRefused && e.Detail.Contains("missing", StringComparison.Ordinal));
        Assert.Equal(("recovery-usage", command), (refused.DetailKey, Assert.Single(refused.DetailArguments())));
    }
}
