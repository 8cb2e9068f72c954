using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.Authentication.Lockout;

/// <summary>
/// Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that signed in before has
/// its own failure budget, so a flood from anywhere else never locks its owner out.
/// </summary>
public sealed class TrustedDeviceTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _admin = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost(new Dictionary<string, string?>
        {
            ["Accounts:LockoutFailures"] = "5",
            ["Accounts:DeviceLockoutFailures"] = "5",
            ["Accounts:MaxConsecutiveFailures"] = "10",
        }).InitializeAsync();
        _admin = await UserAsync(_host.Services, "admin");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<string> TrustAsync(string userId, string? cookie = null) =>
        _host.WithAsync<TrustedDeviceService, string>(s => s.TrustAsync(userId, cookie));

    private Task<PasswordCheckResult> CheckAsync(string password, string? deviceCookie = null, string user = "admin") =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, password, "203.0.113.1", "Firefox", deviceCookie));

    private async Task FloodAsync(int times, string? deviceCookie = null)
    {
        for (var i = 0; i < times; i++)
        {
            await CheckAsync("wrong " + i, deviceCookie);
        }
    }

    [Fact]
    public async Task CheckAsync_FloodFromUnknownClientsUntilLockedUntilUnlocked_DoesNotLockTheOwnersBrowserOut()
    {
        var cookie = await TrustAsync(_admin.Id);
        await FloodAsync(5);
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await FloodAsync(5);

        var unknown = await CheckAsync(CoreHost.AdminPassword);
        var owner = await CheckAsync(CoreHost.AdminPassword, cookie);

        Assert.Equal(PasswordCheckStatus.LockedOut, unknown.Status);
        Assert.Null(unknown.LockedOutUntil);
        Assert.Equal(PasswordCheckStatus.Succeeded, owner.Status);
        Assert.NotNull(owner.DeviceHash);
    }

    [Fact]
    public async Task CompleteAsync_FromATrustedDevice_UnlocksTheAccountForEveryone()
    {
        var cookie = await TrustAsync(_admin.Id);
        await FloodAsync(5);
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await FloodAsync(5);

        var owner = await CheckAsync(CoreHost.AdminPassword, cookie);
        await _host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(owner.User!, false, null, null, owner.DeviceHash));

        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync(CoreHost.AdminPassword)).Status);
        Assert.Equal(0, (await UserAsync(_host.Services, "admin")).ConsecutiveFailures);
    }

    [Fact]
    public async Task CheckAsync_TrustedDeviceFailures_SpendItsOwnBudgetFirstThenThatOfUnknownClients()
    {
        var cookie = await TrustAsync(_admin.Id);

        await FloodAsync(5, cookie);
        var afterOwnBudget = await UserAsync(_host.Services, "admin");
        var sixth = await CheckAsync("wrong six", cookie);

        Assert.Equal(0, afterOwnBudget.ConsecutiveFailures);
        Assert.Equal(PasswordCheckStatus.Failed, sixth.Status);
        Assert.Equal(1, (await UserAsync(_host.Services, "admin")).ConsecutiveFailures);
        var events = await AuditAsync(_host.Services);
        Assert.Contains(events, e => e.Kind == AuditKinds.SignInLockedOut && e.Detail.Contains("trusted device locked until"));
        Assert.Contains(events, e => e.Kind == AuditKinds.SignInFailed && e.Detail.EndsWith("unknown clients"));
    }

    [Fact]
    public async Task CheckAsync_DeviceAndUnknownBudgetsSpent_RefusesTheRightPasswordUntilALockoutEnds()
    {
        var cookie = await TrustAsync(_admin.Id);
        await FloodAsync(5, cookie);
        await FloodAsync(5);

        var refused = await CheckAsync(CoreHost.AdminPassword, cookie);
        _host.Time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(PasswordCheckStatus.LockedOut, refused.Status);
        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync(CoreHost.AdminPassword, cookie)).Status);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("altered")]
    [InlineData("another user's")]
    [InlineData("expired")]
    public async Task CheckAsync_CookieThatIsNotThisUsersTrustedDevice_CountsAsAnUnknownClient(string kind)
    {
        var bob = await _host.CreateUserAsync("bob", "bob password 12");
        var cookie = kind switch
        {
            "forged" => "CfDJ8" + new string('A', 120),
            "altered" => Altered(await TrustAsync(_admin.Id)),
            "another user's" => await TrustAsync(bob.Id),
            _ => await TrustAsync(_admin.Id),
        };
        if (kind == "expired")
        {
            _host.Time.Advance(TrustedDeviceService.Lifetime + TimeSpan.FromDays(1));
        }
        await FloodAsync(5);

        var result = await CheckAsync(CoreHost.AdminPassword, cookie);

        Assert.Equal(PasswordCheckStatus.LockedOut, result.Status);
    }

    [Fact]
    public async Task TrustAsync_SharedBrowser_IsOneDeviceTrustedForEachUserSeparately()
    {
        var bob = await _host.CreateUserAsync("bob", "bob password 12");
        var adminsCookie = await TrustAsync(_admin.Id);

        var bobsCookie = await TrustAsync(bob.Id, adminsCookie);
        await FloodAsync(5, adminsCookie);

        var rows = await _host.WithAsync<ConsoleDbContext, List<TrustedDevice>>(db => db.TrustedDevices.AsNoTracking().ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.Single(rows.Select(r => r.DeviceHash).Distinct());
        // Admin's failures spent admin's budget of this browser, not bob's.
        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync("bob password 12", bobsCookie, "bob")).Status);
        Assert.Equal(0, rows.Single(r => r.UserId == bob.Id).FailureCount);
    }

    [Fact]
    public async Task Database_KeepsOnlyTheHashOfTheDeviceId()
    {
        var cookie = await TrustAsync(_admin.Id);
        var deviceId = _host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TrustedDeviceService.Purpose).Unprotect(cookie);

        var row = await _host.WithAsync<ConsoleDbContext, TrustedDevice>(db => db.TrustedDevices.AsNoTracking().SingleAsync());
        var stored = string.Concat(new[] { _host.DatabaseFile, _host.DatabaseFile + "-wal" }.Where(File.Exists)
            .Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));

        Assert.Equal(RustDesk.Core.Security.OpaqueKey.Hash(deviceId), row.DeviceHash);
        Assert.DoesNotContain(deviceId, stored);
        Assert.DoesNotContain(cookie, stored);
    }

    [Fact]
    public async Task TrustAsync_ManyBrowsers_RemembersOnlyTheMostRecentTen()
    {
        for (var i = 0; i < TrustedDeviceService.MaxPerUser + 3; i++)
        {
            await TrustAsync(_admin.Id);
            _host.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(TrustedDeviceService.MaxPerUser,
            await _host.WithAsync<ConsoleDbContext, int>(db => db.TrustedDevices.CountAsync()));
    }

    private static string Altered(string cookie) =>
        cookie[..^4] + (cookie[^4] == 'A' ? 'B' : 'A') + cookie[^3..];
}
