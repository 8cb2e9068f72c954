using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Recovery;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.Authentication.Lockout;

/// <summary>
/// The password step's lockout (NIST 800-63B §5.2.2): reserved in SQL before the password is checked, so parallel
/// requests never run past it; growing lockouts; a consecutive count that survives them and locks until unlocked.
/// </summary>
public sealed class PasswordLockoutTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() =>
        _host = await new CoreHost(new Dictionary<string, string?>
        {
            ["Accounts:MaxConsecutiveFailures"] = "30",
            ["Accounts:MaxLockoutMinutes"] = "60",
            // The sign-in takes a hashing slot before it checks (PasswordHashGate.RunAsync): with one slot per core
            // the ten checks held in flight below would queue behind two. The lockout is under test here, not the gate.
            ["RateLimits:PasswordHashConcurrency"] = "64",
        }, CountingPasswordHasher.Register).InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CountingPasswordHasher Hasher => (CountingPasswordHasher)_host.Services.GetRequiredService<IPasswordHasher<ConsoleUser>>();

    private Task<PasswordCheckResult> CheckAsync(string password, string user = "admin") =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, password, "198.51.100.9", "curl/8"));

    private async Task<PasswordCheckResult> FailTimesAsync(int times)
    {
        PasswordCheckResult last = null!;
        for (var i = 0; i < times; i++)
        {
            last = await CheckAsync("wrong " + i);
        }
        return last;
    }

    [Fact]
    public async Task CheckAsync_FiftyParallelWrongPasswords_ChecksNoMoreThanTheLimit()
    {
        var before = Hasher.Checks;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => CheckAsync("wrong " + i))));

        Assert.Equal(10, Hasher.Checks - before);
        Assert.All(results, r => Assert.Contains(r.Status, new[] { PasswordCheckStatus.Failed, PasswordCheckStatus.LockedOut }));
        // The ten checked may each be told "failed" or, once one of them (or a refused request) set the lockout, "locked".
        Assert.InRange(results.Count(r => r.Status == PasswordCheckStatus.Failed), 0, 9);
        var admin = await UserAsync(_host.Services, "admin");
        Assert.Equal(10, admin.ConsecutiveFailures);
        Assert.True(admin.LockedOutUntil > _host.Time.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public async Task CheckAsync_RightPasswordWhileTheLimitIsInFlight_IsRefused()
    {
        // Arrange: ten wrong passwords reserved and held in the middle of their check, so no lockout is written yet.
        Hasher.Gate.Reset();
        var before = Hasher.Checks;
        var flood = Enumerable.Range(0, 10).Select(i => Task.Run(() => CheckAsync("wrong " + i))).ToList();
        await WaitUntilAsync(() => Hasher.Checks - before == 10);

        // Act
        var right = await CheckAsync(CoreHost.AdminPassword);
        Hasher.Gate.Set();
        await Task.WhenAll(flood);

        // Assert: the limit was spent by requests in flight, so the right password is not even checked.
        Assert.Equal(PasswordCheckStatus.LockedOut, right.Status);
        Assert.Equal(10, Hasher.Checks - before);
        Assert.Equal(PasswordCheckStatus.LockedOut, (await CheckAsync(CoreHost.AdminPassword)).Status);
    }

    [Fact]
    public async Task CheckAsync_AfterALockout_TheConsecutiveCountGoesOn()
    {
        await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromMinutes(15));

        await FailTimesAsync(5);

        var admin = await UserAsync(_host.Services, "admin");
        Assert.Equal(15, admin.ConsecutiveFailures);
        Assert.Equal(5, admin.AccessFailedCount);
    }

    [Fact]
    public async Task CheckAsync_RepeatedLockouts_GrowFrom15To30To60MinutesAndStayAtTheCap()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["Accounts:MaxLockoutMinutes"] = "60" }).InitializeAsync();
        var minutes = new List<int>();
        for (var round = 0; round < 4; round++)
        {
            PasswordCheckResult locked = null!;
            for (var i = 0; i < 10; i++)
            {
                locked = await host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", "wrong " + i));
            }
            Assert.Equal(PasswordCheckStatus.LockedOut, locked.Status);
            var left = locked.LockedOutUntil!.Value - host.Time.GetUtcNow();
            minutes.Add((int)Math.Round(left.TotalMinutes));
            // Just before the end the account is still locked; at the end it opens again.
            host.Time.Advance(left - TimeSpan.FromSeconds(1));
            Assert.Equal(PasswordCheckStatus.LockedOut,
                (await host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", CoreHost.AdminPassword))).Status);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([15, 30, 60, 60], minutes);
        Assert.Equal(40, (await UserAsync(host.Services, "admin")).ConsecutiveFailures);
        // The default cap: one day.
        Assert.Equal(TimeSpan.FromMinutes(1440), new AccountOptions().LockoutDuration(30));
    }

    [Fact]
    public async Task CheckAsync_MaxConsecutiveFailures_LocksUntilUnlocked()
    {
        await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromMinutes(30));

        var last = await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromDays(30));
        var right = await CheckAsync(CoreHost.AdminPassword);

        Assert.Equal(PasswordCheckStatus.LockedOut, last.Status);
        Assert.Null(last.LockedOutUntil);
        Assert.Equal(PasswordCheckStatus.LockedOut, right.Status);
        Assert.Null(right.LockedOutUntil);
        var events = await AuditAsync(_host.Services);
        Assert.Contains(events, e => e.Kind == AuditKinds.SignInLockedOut && e.Detail.Contains("unknown clients locked until unlocked"));
    }

    [Fact]
    public async Task CompleteAsync_AfterASuccessfulSignIn_CountAndGrowthStartAgain()
    {
        await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await FailTimesAsync(3);

        var right = await CheckAsync(CoreHost.AdminPassword);
        await _host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(right.User!, false, null, null));
        var relocked = await FailTimesAsync(10);

        Assert.Equal(PasswordCheckStatus.Succeeded, right.Status);
        Assert.Equal(15, (int)Math.Round((relocked.LockedOutUntil!.Value - _host.Time.GetUtcNow()).TotalMinutes));
        var admin = await UserAsync(_host.Services, "admin");
        Assert.Equal(10, admin.ConsecutiveFailures);
        Assert.Equal(1, admin.LockoutCount);
    }

    [Fact]
    public async Task CheckAsync_RightPassword_GivesTheReservedAttemptBack()
    {
        await FailTimesAsync(3);

        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync(CoreHost.AdminPassword)).Status);

        var admin = await UserAsync(_host.Services, "admin");
        Assert.Equal(3, admin.ConsecutiveFailures);
        Assert.Equal(3, admin.AccessFailedCount);
    }

    [Fact]
    public async Task SetPassword_CommandLine_LiftsALockUntilUnlocked()
    {
        await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await FailTimesAsync(10);
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await FailTimesAsync(10);

        var set = await _host.WithAsync<RecoveryService, RecoveryResult>(s => s.SetPasswordAsync("admin", "a brand new password"));

        Assert.Equal(RecoveryStatus.Done, set.Status);
        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync("a brand new password")).Status);
        Assert.Equal(0, (await UserAsync(_host.Services, "admin")).ConsecutiveFailures);
    }

    [Fact]
    public async Task UpdateAsync_OfAUserLoadedBeforeTheLockout_DoesNotLiftIt()
    {
        // Arrange: a request holds the user as loaded before an attacker's failures lock the account.
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var stale = (await users.FindByNameAsync("admin"))!;
        await FailTimesAsync(10);

        // Act: that request saves the user (as a password or security-stamp change does).
        Assert.True((await users.UpdateSecurityStampAsync(stale)).Succeeded);

        // Assert
        var admin = await UserAsync(_host.Services, "admin");
        Assert.Equal(10, admin.ConsecutiveFailures);
        Assert.True(admin.LockedOutUntil > _host.Time.GetUtcNow().UtcDateTime);
        Assert.Equal(PasswordCheckStatus.LockedOut, (await CheckAsync(CoreHost.AdminPassword)).Status);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the attempts to be in flight");
            await Task.Delay(20);
        }
    }
}
