using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Tests.Core.EmailVerification;

namespace RustDesk.Tests.Core.Alarms;

/// <summary>Failed sign-ins raise alarms that reach administrators with alarm notification on, through a real SMTP listener.</summary>
public sealed class AlarmTests : IAsyncLifetime
{
    private EmailTestHost _env = default!;

    public async Task InitializeAsync()
    {
        // Lockout out of the way (100 failures per hour is the allowed maximum), so only the alarm rules count.
        _env = await EmailTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Accounts:LockoutFailures"] = "100",
            ["Accounts:LockoutMinutes"] = "60",
            ["Alarms:FailuresPerMinute"] = "1000",
            ["Alarms:FailuresPerHour"] = "1000",
        });
        var admin = await _env.Host.FindUserAsync("admin");
        await _env.Host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == admin!.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Email, "admin@example.com").SetProperty(u => u.AlarmNotificationEnabled, true)));
        var quiet = await _env.Host.CreateUserAsync("quiet-admin", "quiet admin password", Roles.Administrator, "quiet@example.com");
        await _env.Host.CreateUserAsync("target", "target password 1");
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private Task FailAsync(string user) =>
        _env.Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, "wrong password"));

    [Fact]
    public async Task ThirtyOneFailuresInARow_AlarmAdministratorsWhoAskedForIt_Once()
    {
        for (var i = 0; i < 30; i++)
        {
            await FailAsync("target");
        }
        await _env.DeliverAsync();
        Assert.Empty(_env.Smtp.Messages);

        await FailAsync("target");
        await FailAsync("target");
        await _env.DeliverAsync();

        var alarm = await _env.Smtp.WaitForMessageAsync(m => m.Subject?.StartsWith("Alarm", StringComparison.Ordinal) == true);
        Assert.Contains("admin@example.com", alarm.To.ToString());
        Assert.Contains("31 failed sign-ins in a row", alarm.TextBody);
        Assert.Contains("target", alarm.TextBody);
        Assert.Single(_env.Smtp.Messages);
        Assert.DoesNotContain(_env.Smtp.Messages, m => m.To.ToString().Contains("quiet@example.com"));
    }

    [Fact]
    public async Task SuccessfulSignIn_ResetsTheRun()
    {
        for (var i = 0; i < 20; i++)
        {
            await FailAsync("target");
        }
        var target = await _env.Host.FindUserAsync("target");
        await _env.Host.WithAsync<RustDesk.Core.Notifications.KnownDeviceService, bool>(s => s.RecordSignInAsync(target!.Id, null, null));
        for (var i = 0; i < 20; i++)
        {
            await FailAsync("target");
        }
        await _env.DeliverAsync();

        Assert.Empty(_env.Smtp.Messages);
    }

    [Fact]
    public async Task FailuresOlderThanTheWindow_DoNotCountInARow()
    {
        for (var i = 0; i < 20; i++)
        {
            await FailAsync("target");
        }
        _env.Host.Time.Advance(TimeSpan.FromHours(25));

        for (var i = 0; i < 15; i++)
        {
            await FailAsync("target");
        }
        await _env.DeliverAsync();

        // 35 in a row since the last success, but only 15 within the last 24 hours.
        Assert.Empty(_env.Smtp.Messages);
    }

    [Fact]
    public async Task BurstWithinAMinute_OfUnknownNamesFromOneAddress_CountsEveryAttemptOfTheAggregateRow()
    {
        await using var env = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Alarms:FailuresPerMinute"] = "5" });
        var admin = await env.Host.FindUserAsync("admin");
        await env.Host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == admin!.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Email, "admin@example.com").SetProperty(u => u.AlarmNotificationEnabled, true)));

        for (var i = 0; i < 5; i++)
        {
            await env.Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("nobody" + i, "x", "203.0.113.77"));
        }
        await env.DeliverAsync();

        Assert.Equal(1, await env.Host.WithAsync<ConsoleDbContext, int>(db => db.AuditEvents.CountAsync(e => e.Kind == "sign-in.failed")));
        var alarm = await env.Smtp.WaitForMessageAsync(m => m.Subject?.StartsWith("Alarm", StringComparison.Ordinal) == true);
        Assert.Contains("5 failed sign-ins within one minute", alarm.TextBody);
        var raised = await env.Host.WithAsync<ConsoleDbContext, AuditEvent>(db => db.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.AlarmRaised));
        Assert.Equal(("alarm-per-minute", "5", "alarm per-minute", AuditActors.System), (raised.DetailKey, Assert.Single(raised.DetailArguments()), raised.Detail, raised.ActorName));
    }

    [Fact]
    public async Task BurstWithinAMinute_AcrossAccounts_RaisesAnAlarm()
    {
        await using var env = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Alarms:FailuresPerMinute"] = "5" });
        var admin = await env.Host.FindUserAsync("admin");
        await env.Host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == admin!.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Email, "admin@example.com").SetProperty(u => u.AlarmNotificationEnabled, true)));

        for (var i = 0; i < 5; i++)
        {
            await env.Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("user" + i, "x"));
        }
        await env.DeliverAsync();

        var alarm = await env.Smtp.WaitForMessageAsync(m => m.Subject?.StartsWith("Alarm", StringComparison.Ordinal) == true);
        Assert.Contains("within one minute", alarm.TextBody);
    }
}
