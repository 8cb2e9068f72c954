using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Notifications;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Core.TwoFactor;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Audit;

/// <summary>The security events of a user's own account end up in the audit log, without secrets.</summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private const string Password = "audited password 1";
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("audited", Password, email: "audited@example.com");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<List<AuditEvent>> EventsAsync() =>
        _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    private Task<PasswordCheckResult> CheckAsync(string user, string password) =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, password, "192.0.2.5", "Mozilla/5.0 (X11; Linux) Firefox/140.0"));

    [Fact]
    public async Task WrongPassword_IsRecordedWithIpAndNoSecret()
    {
        await CheckAsync("audited", "not the password at all");

        var failure = Assert.Single(await EventsAsync(), e => e.Kind == AuditKinds.SignInFailed);
        Assert.Equal(_user.Id, failure.TargetUserId);
        Assert.Equal("192.0.2.5", failure.IpAddress);
        Assert.DoesNotContain("not the password at all", failure.Detail + failure.ActorName + failure.TargetName);
    }

    [Fact]
    public async Task UnknownUserName_IsRecordedWithoutTheTypedName()
    {
        await CheckAsync("my-password-typed-in-the-wrong-field", "x");

        var failure = Assert.Single(await EventsAsync(), e => e.Kind == AuditKinds.SignInFailed);
        Assert.Null(failure.TargetUserId);
        Assert.DoesNotContain("wrong-field", failure.ActorName + failure.TargetName + failure.Detail);
    }

    [Fact]
    public async Task Lockout_IsRecorded()
    {
        for (var i = 0; i < 10; i++)
        {
            await CheckAsync("audited", "wrong " + i);
        }

        Assert.Contains(await EventsAsync(), e => e.Kind == AuditKinds.SignInLockedOut && e.TargetUserId == _user.Id);
    }

    [Fact]
    public async Task CompletedSignIn_IsRecordedWithTheMethod()
    {
        await _host.WithAsync<KnownDeviceService, bool>(s => s.RecordSignInAsync(_user.Id, "192.0.2.9", "Mozilla/5.0 Chrome/150.0", "TOTP"));

        var success = Assert.Single(await EventsAsync(), e => e.Kind == AuditKinds.SignInSucceeded);
        Assert.Equal("TOTP", success.Detail);
        Assert.Equal("audited", success.ActorName);
    }

    [Fact]
    public async Task TwoFactorChangesReVerificationAndSettings_AreRecorded()
    {
        var (key, codes) = await EnableAsync(_host, _user.Id);
        var session = await _host.VerifiedSessionAsync("audited", codes[0]);
        await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(_user.Id, session.SessionId, "audited@example.com", false, true));
        var other = await _host.StoreSessionAsync("audited");
        await _host.WithAsync<DeviceService, RevokeResult>(s => s.RevokeAsync(_user.Id, session.SessionId, other.SessionId));

        var kinds = (await EventsAsync()).Select(e => e.Kind).ToList();

        Assert.Contains(AuditKinds.TwoFactorEnabled, kinds);
        Assert.Contains(AuditKinds.BackupCodeUsed, kinds);
        Assert.Contains(AuditKinds.ReVerified, kinds);
        Assert.Contains(AuditKinds.SettingsChanged, kinds);
        Assert.Contains(AuditKinds.DeviceSignedOut, kinds);
        var all = string.Join("|", (await EventsAsync()).Select(e => e.Detail));
        Assert.DoesNotContain(codes[0], all);
        Assert.DoesNotContain(CodeAt(key, _host), all);
    }

    [Fact]
    public async Task SettingsChangeAndReVerification_CarryTheSessionsIpAndBrowser()
    {
        var (key, _) = await EnableAsync(_host, _user.Id);
        var session = await _host.StoreSessionAsync("audited");
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == session.SessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IpAddress, "198.51.100.77").SetProperty(s => s.UserAgent, "Mozilla/5.0 Firefox/140.0")));
        await _host.WithAsync<RustDesk.Core.ReVerification.ReVerificationService, RustDesk.Core.ReVerification.ReVerificationStatus>(
            s => s.VerifyAsync(_user.Id, session.SessionId, CodeAt(key, _host)));

        await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(_user.Id, session.SessionId, "audited@example.com", false, true));

        var events = (await EventsAsync()).Where(e => e.Kind is AuditKinds.SettingsChanged or AuditKinds.ReVerified).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("198.51.100.77", e.IpAddress));
        Assert.All(events, e => Assert.Contains("Firefox", e.UserAgent));
    }

    [Fact]
    public async Task DevicesSignedOut_NameTheUserAsActorAndTargetWithTheSessionsIpAndBrowser()
    {
        var session = await _host.StoreSessionAsync("audited");
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == session.SessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IpAddress, "198.51.100.78").SetProperty(s => s.UserAgent, "Mozilla/5.0 Firefox/140.0")));
        var one = await _host.StoreSessionAsync("audited");
        await _host.StoreSessionAsync("audited");

        var revoked = await _host.WithAsync<DeviceService, RevokeResult>(s => s.RevokeAsync(_user.Id, session.SessionId, one.SessionId));
        var others = await _host.WithAsync<DeviceService, RevokeResult>(s => s.RevokeOthersAsync(_user.Id, session.SessionId));

        Assert.Equal(new RevokeResult(RevokeStatus.Revoked, 1), revoked);
        Assert.Equal(new RevokeResult(RevokeStatus.Revoked, 1), others);
        var events = (await EventsAsync()).Where(e => e.Kind == AuditKinds.DeviceSignedOut).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal((_user.Id, "audited"), (e.ActorUserId, e.ActorName));
            Assert.Equal((_user.Id, "audited"), (e.TargetUserId, e.TargetName));
            Assert.Equal("198.51.100.78", e.IpAddress);
            Assert.Contains("Firefox", e.UserAgent);
        });
    }
}
