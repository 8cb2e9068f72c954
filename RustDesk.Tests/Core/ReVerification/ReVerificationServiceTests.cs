using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.ReVerification;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.ReVerification;

/// <summary>Every protected change is refused by the Core service itself unless this user's session re-verified recently.</summary>
public sealed class ReVerificationServiceTests : IAsyncLifetime
{
    private const string Password = "operator password 1";
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;
    private byte[] _key = [];
    private IReadOnlyList<string> _codes = [];
    private StoredSession _session = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("operator", Password, email: "op@example.com");
        (_key, _codes) = await EnableAsync(_host, _user.Id);
        _session = await _host.StoreSessionAsync("operator");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ReVerificationStatus> ReVerifyAsync(string? secret, StoredSession? session = null, string? userId = null) =>
        _host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(userId ?? _user.Id, (session ?? _session).SessionId, secret));

    private async Task<AddressChangeStatus> UpdateAlarmAsync(StoredSession session, bool alarm) =>
        (await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(_user.Id, session.SessionId, "op@example.com", false, alarm))).Status;

    /// <summary>Each protected change, run once with the given session; true when it was applied.</summary>
    public static TheoryData<string> Changes => new() { "basic", "submit", "password", "backup-codes", "revoke", "revoke-others", "renew" };

    private async Task<bool> ChangeAsync(string change, StoredSession session)
    {
        switch (change)
        {
            case "basic":
                return await UpdateAlarmAsync(session, alarm: true) == AddressChangeStatus.Saved;
            case "submit":
                return (await _host.WithAsync<BasicSettingsService, AddressChangeResult>(
                    s => s.SaveAsync(_user.Id, session.SessionId, "op2@example.com", false, false))).Status == AddressChangeStatus.Saved;
            case "password":
                return await _host.WithAsync<AccountSettingsService, SettingsResult>(
                    s => s.ChangePasswordAsync(_user.Id, session.SessionId, Password, "quiet zebra lantern 42", "quiet zebra lantern 42")) == SettingsError.None;
            case "backup-codes":
                return (await _host.WithAsync<TwoFactorService, BackupCodesResult>(
                    s => s.RegenerateBackupCodesAsync(_user.Id, session.SessionId))).Status == BackupCodesStatus.Generated;
            case "revoke-others":
                await _host.StoreSessionAsync("operator");
                return (await _host.WithAsync<DeviceService, RevokeResult>(s => s.RevokeOthersAsync(_user.Id, session.SessionId))).Status == RevokeStatus.Revoked;
            case "renew":
                return (await _host.WithAsync<RustDesk.Core.TwoFactor.Settings.TotpEnrollmentService, RustDesk.Core.TwoFactor.Settings.EnrollmentStart>(
                    s => s.StartAsync(_user.Id, session.SessionId))).View is not null;
            default:
                var other = await _host.StoreSessionAsync("operator");
                return (await _host.WithAsync<DeviceService, RevokeResult>(s => s.RevokeAsync(_user.Id, session.SessionId, other.SessionId))).Status == RevokeStatus.Revoked;
        }
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ProtectedChange_WithoutReVerification_IsRefused(string change)
    {
        Assert.False(await ChangeAsync(change, _session));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ProtectedChange_AfterReVerification_IsApplied(string change)
    {
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(CodeAt(_key, _host)));

        Assert.True(await ChangeAsync(change, _session));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ProtectedChange_AfterTheWindow_IsRefusedAgain(string change)
    {
        await ReVerifyAsync(CodeAt(_key, _host));

        _host.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(await ChangeAsync(change, _session));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ProtectedChange_WithAnotherSessionsGrant_IsRefused(string change)
    {
        var other = await _host.StoreSessionAsync("operator");
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(CodeAt(_key, _host), other));

        Assert.False(await ChangeAsync(change, _session));
    }

    [Fact]
    public async Task Grant_WithinTheWindow_CoversFurtherChanges()
    {
        await ReVerifyAsync(CodeAt(_key, _host));
        _host.Time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(AddressChangeStatus.Saved, await UpdateAlarmAsync(_session, true));
        Assert.Equal(AddressChangeStatus.Saved, await UpdateAlarmAsync(_session, false));
    }

    [Fact]
    public async Task Grant_WithZeroMinutes_CoversExactlyOneChange()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" }).InitializeAsync();
        var user = await host.CreateUserAsync("strict", Password, email: "strict@example.com");
        var (key, _) = await EnableAsync(host, user.Id);
        var session = await host.VerifiedSessionAsync("strict", CodeAt(key, host));

        var first = await host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(user.Id, session.SessionId, "strict@example.com", false, true));
        var second = await host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(user.Id, session.SessionId, "strict@example.com", false, false));

        Assert.Equal(AddressChangeStatus.Saved, first.Status);
        Assert.Equal(AddressChangeStatus.ReVerificationRequired, second.Status);
    }

    [Fact]
    public async Task Grant_WithZeroMinutes_IsUsableOnceWithinTheSingleUseWindowAndVoidAfterIt()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" }).InitializeAsync();
        var user = await host.CreateUserAsync("strict", Password, email: "strict@example.com");
        var (key, _) = await EnableAsync(host, user.Id);
        Task<AddressChangeResult> ChangeAlarmAsync(StoredSession session, bool alarm) =>
            host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(user.Id, session.SessionId, "strict@example.com", false, alarm));

        // Within the window: one change, and only one.
        var session = await host.VerifiedSessionAsync("strict", CodeAt(key, host));
        host.Time.Advance(ReVerificationService.SingleUseWindow - TimeSpan.FromSeconds(1));
        var first = await ChangeAlarmAsync(session, true);
        var second = await ChangeAlarmAsync(session, false);

        // An unused grant dies with the window.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(ReVerificationStatus.Verified, await host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(user.Id, session.SessionId, CodeAt(key, host))));
        host.Time.Advance(ReVerificationService.SingleUseWindow);
        var late = await ChangeAlarmAsync(session, false);

        Assert.Equal(AddressChangeStatus.Saved, first.Status);
        Assert.Equal(AddressChangeStatus.ReVerificationRequired, second.Status);
        Assert.Equal(AddressChangeStatus.ReVerificationRequired, late.Status);
        Assert.Equal(TimeSpan.FromMinutes(10), ReVerificationService.SingleUseWindow);
    }

    [Fact]
    public async Task VerifyAsync_BackupCode_IsConsumed()
    {
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(_codes[0]));

        Assert.Equal(5, (await _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(_user.Id))).UnusedBackupCodes);
        Assert.Equal(ReVerificationStatus.Wrong, await ReVerifyAsync(_codes[0]));
    }

    [Fact]
    public async Task VerifyAsync_ReplayedTotpCode_IsRefused()
    {
        var code = CodeAt(_key, _host);
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(code));
        var other = await _host.StoreSessionAsync("operator");

        Assert.Equal(ReVerificationStatus.Wrong, await ReVerifyAsync(code, other));
    }

    [Fact]
    public async Task VerifyAsync_WrongCodes_CountTowardLockoutAndLockoutSignsTheSessionOut()
    {
        var wrong = CodeAt(_key, _host) == "000000" ? "111111" : "000000";
        var results = new List<ReVerificationStatus>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await ReVerifyAsync(wrong));
        }

        Assert.All(results.Take(9), r => Assert.Equal(ReVerificationStatus.Wrong, r));
        Assert.Equal(ReVerificationStatus.LockedOut, results[9]);
        Assert.False(await _host.IsValidAsync(_session));
    }

    [Fact]
    public async Task VerifyAsync_AnotherUsersSession_IsRefusedAndGrantsNothing()
    {
        var mallory = await _host.CreateUserAsync("mallory", "mallory password", email: "m@example.com");
        var malloryCodeForOperator = CodeAt(_key, _host);

        var status = await ReVerifyAsync(malloryCodeForOperator, _session, mallory.Id);

        Assert.Equal(ReVerificationStatus.SessionInvalid, status);
        Assert.False(await ChangeAsync("basic", _session));
        Assert.Contains(_host.Logs.Lines, l => l.Contains("Re-verification refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_ForgedSessionId_IsRefused()
    {
        var forged = _session with { SessionId = new string('A', 64) };

        Assert.Equal(ReVerificationStatus.SessionInvalid, await ReVerifyAsync(CodeAt(_key, _host), forged));
    }

    [Fact]
    public async Task WithoutTwoFactor_EmailChangeNeedsThePasswordButAlarmDoesNot()
    {
        var plain = await _host.CreateUserAsync("plain", "plain user password", email: "plain@example.com");
        var session = await _host.StoreSessionAsync("plain");

        var alarm = await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(plain.Id, session.SessionId, "plain@example.com", false, true));
        var email = await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(plain.Id, session.SessionId, "plain2@example.com", false, true));
        Assert.Equal(ReVerificationStatus.Wrong, await _host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(plain.Id, session.SessionId, "not the password")));
        Assert.Equal(ReVerificationStatus.Verified, await _host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(plain.Id, session.SessionId, "plain user password")));
        var afterPassword = await _host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(plain.Id, session.SessionId, "plain2@example.com", false, true));

        Assert.Equal(AddressChangeStatus.Saved, alarm.Status);
        Assert.Equal(AddressChangeStatus.ReVerificationRequired, email.Status);
        Assert.Equal(AddressChangeStatus.Saved, afterPassword.Status);
    }
}
