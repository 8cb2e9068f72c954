using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.Authentication;

/// <summary>The TOTP / backup-code step counts every wrong code toward lockout and refuses a locked account even with the right code.</summary>
public sealed class SecondFactorSignInTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _jane = default!;
    private byte[] _key = default!;
    private string _backupCode = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _jane = await _host.CreateUserAsync("jane", "jane password 1");
        (_key, _backupCode) = await SeedTotpAsync(_host.Services, _jane.Id);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> StartAsync(string? deviceHash = null)
    {
        var user = await UserAsync(_host.Services, "jane");
        var start = await _host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(user, false, "192.0.2.4", "Edge", deviceHash));
        Assert.Equal(SignInNextStep.Totp, start.Next);
        return start.PendingKey!;
    }

    private Task<SecondStepResult> VerifyAsync(string key, string code) =>
        _host.WithAsync<SecondFactorSignInService, SecondStepResult>(s => s.VerifyAsync(key, code));

    private string Wrong => WrongTotpCode(_key, _host.Time.GetUtcNow());

    private string Right => TotpCode(_key, _host.Time.GetUtcNow());

    [Fact]
    public async Task VerifyAsync_TenWrongCodesInTheRightFormat_LockTheAccount()
    {
        var key = await StartAsync();

        var results = new List<SecondStepResult>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await VerifyAsync(key, Wrong));
        }

        Assert.All(results.Take(9), r => Assert.Equal(SecondStepStatus.Wrong, r.Status));
        Assert.Equal(SecondStepStatus.LockedOut, results[9].Status);
        Assert.InRange((results[9].LockedOutUntil!.Value - _host.Time.GetUtcNow()).TotalMinutes, 14.9, 15.1);
        var events = await AuditAsync(_host.Services);
        Assert.Equal(9, events.Count(e => e.Kind == AuditKinds.SignInFailed && e.Detail == "TOTP step; unknown clients"));
        Assert.Single(events, e => e.Kind == AuditKinds.SignInLockedOut && e.Detail.StartsWith("TOTP step; unknown clients locked"));
        var password = await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("jane", "jane password 1"));
        Assert.Equal(PasswordCheckStatus.LockedOut, password.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyAsync_AccountLockedAfterThePasswordStep_RefusesTheRightCodeAndSpendsNothing(bool backupCode)
    {
        var key = await StartAsync();
        for (var i = 0; i < 10; i++)
        {
            await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("jane", "wrong " + i));
        }

        var result = await VerifyAsync(key, backupCode ? _backupCode : Right);

        Assert.Equal(SecondStepStatus.LockedOut, result.Status);
        Assert.Null(result.User);
        var authenticator = await _host.WithAsync<ConsoleDbContext, TotpAuthenticator>(db => db.TotpAuthenticators.AsNoTracking().SingleAsync());
        Assert.Equal(0, authenticator.LastAcceptedStep);
        Assert.Equal(1, await _host.WithAsync<ConsoleDbContext, int>(db => db.BackupCodes.CountAsync(c => c.UsedAt == null)));
        // The refused sign-in is over: it cannot be finished later.
        Assert.Equal(0, await _host.WithAsync<ConsoleDbContext, int>(db => db.PendingSignIns.CountAsync()));
    }

    [Fact]
    public async Task VerifyAsync_FiftyParallelWrongCodes_CheckNoMoreThanTheLimit()
    {
        var key = await StartAsync();
        var wrong = Wrong;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => VerifyAsync(key, wrong))));

        Assert.DoesNotContain(results, r => r.Status == SecondStepStatus.Succeeded);
        var events = await AuditAsync(_host.Services);
        var counted = events.Count(e => e.Kind == AuditKinds.SignInFailed
            || (e.Kind == AuditKinds.SignInLockedOut && e.Detail.Contains("locked until")));
        Assert.Equal(10, counted);
        Assert.Equal(10, (await UserAsync(_host.Services, "jane")).ConsecutiveFailures);
    }

    [Fact]
    public async Task VerifyAsync_RightCode_SignsInAndEndsTheRun()
    {
        var key = await StartAsync();
        await VerifyAsync(key, Wrong);

        var result = await VerifyAsync(key, Right);

        Assert.Equal(SecondStepStatus.Succeeded, result.Status);
        Assert.Equal(0, (await UserAsync(_host.Services, "jane")).ConsecutiveFailures);
    }

    [Fact]
    public async Task VerifyAsync_SignInStartedOnATrustedDevice_SpendsThatDevicesBudget()
    {
        var cookie = await _host.WithAsync<TrustedDeviceService, string>(s => s.TrustAsync(_jane.Id, null));
        var password = await _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("jane", "jane password 1", null, null, cookie));
        var key = await StartAsync(password.DeviceHash);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SecondStepStatus.Wrong, (await VerifyAsync(key, Wrong)).Status);
        }

        var device = await _host.WithAsync<ConsoleDbContext, TrustedDevice>(db => db.TrustedDevices.AsNoTracking().SingleAsync());
        Assert.Equal(3, device.FailureCount);
        Assert.Equal(0, (await UserAsync(_host.Services, "jane")).ConsecutiveFailures);
        Assert.Equal(3, (await AuditAsync(_host.Services)).Count(e => e.Detail == "TOTP step; trusted device"));
    }
}
