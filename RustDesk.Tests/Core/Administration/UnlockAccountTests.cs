using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Administration;

/// <summary>Staff lift a lockout that lasts until unlocked: after the actor's 2FA and re-verification, audited.</summary>
public sealed class UnlockAccountTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _target = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost(new Dictionary<string, string?> { ["Accounts:MaxConsecutiveFailures"] = "10" }).InitializeAsync();
        _target = await _host.CreateUserAsync("target", "target password 1");
        for (var i = 0; i < 10; i++)
        {
            await CheckAsync("wrong " + i);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<PasswordCheckResult> CheckAsync(string password) =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("target", password));

    [Fact]
    public async Task UnlockAccountAsync_BySupport_LetsTheUserSignInAgainAndIsAudited()
    {
        _host.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(PasswordCheckStatus.LockedOut, (await CheckAsync("target password 1")).Status);
        var support = await _host.CreateUserAsync("helpdesk", "helpdesk password 1", Roles.Support);
        var (key, _) = await EnableAsync(_host, support.Id);
        var session = await _host.VerifiedSessionAsync("helpdesk", CodeAt(key, _host));

        var result = await _host.WithAsync<UserAdministrationService, StaffResult>(async s => (await s.UnlockAccountAsync(support.Id, session.SessionId, _target.Id)).Result);

        Assert.Equal(StaffResult.Done, result);
        Assert.Equal(PasswordCheckStatus.Succeeded, (await CheckAsync("target password 1")).Status);
        var events = await _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().ToListAsync());
        Assert.Contains(events, e => e.Kind == AuditKinds.StaffUnlockAccount && e.ActorUserId == support.Id && e.TargetUserId == _target.Id
            && e.Detail == "lockout lifted");
    }

    [Fact]
    public async Task UnlockAccountAsync_WithoutReVerification_ChangesNothing()
    {
        var admin = await _host.FindUserAsync("admin");
        await EnableAsync(_host, admin!.Id);
        var session = await _host.StoreSessionAsync("admin");

        var result = await _host.WithAsync<UserAdministrationService, StaffResult>(async s => (await s.UnlockAccountAsync(admin.Id, session.SessionId, _target.Id)).Result);

        Assert.Equal(StaffResult.ReVerificationRequired, result);
        Assert.Equal(PasswordCheckStatus.LockedOut, (await CheckAsync("target password 1")).Status);
    }
}
