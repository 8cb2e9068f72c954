using Microsoft.EntityFrameworkCore;
using OtpNet;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.ReVerification;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.TwoFactor.Settings;

/// <summary>
/// Enabling 2FA from a stolen cookie: the key is only made after the session proves the user (the password while
/// 2FA is off), and a pending key belongs to the session that asked for it: no other session, even of the same user,
/// can read it, confirm it, replay its confirmation or keep it.
/// </summary>
public sealed class TotpEnrollmentBindingTests : IAsyncLifetime
{
    private const string Password = "binding password 12";
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("binder", Password);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<EnrollmentStart> StartAsync(StoredSession session) =>
        _host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(_user.Id, session.SessionId));

    private Task<EnrollmentResult> ConfirmAsync(StoredSession session, string code) =>
        _host.WithAsync<TotpEnrollmentService, EnrollmentResult>(s => s.ConfirmAsync(_user.Id, session.SessionId, code));

    private Task<int> PendingKeysAsync() => _host.WithAsync<ConsoleDbContext, int>(db => db.TotpEnrollments.CountAsync());

    private async Task<TwoFactorState> StateAsync() =>
        (await _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(_user.Id))).State;

    private async Task<int> FailedCountAsync() => (await _host.FindUserAsync("binder"))!.AccessFailedCount;

    [Fact]
    public async Task StartAsync_StolenCookieWithoutThePassword_MakesNoKey()
    {
        var stolen = await _host.StoreSessionAsync("binder");

        var start = await StartAsync(stolen);

        Assert.True(start.ReVerificationRequired);
        Assert.Null(start.View);
        Assert.Equal(0, await PendingKeysAsync());
        Assert.Equal(ReVerificationMethod.Password,
            (await _host.WithAsync<ReVerificationService, ReVerificationOffer>(s => s.OfferAsync(_user.Id, stolen.SessionId))).Method);
    }

    [Fact]
    public async Task StartAsync_AfterThePassword_ShowsAKey()
    {
        var session = await _host.VerifiedSessionAsync("binder", Password);

        var start = await StartAsync(session);

        Assert.False(start.ReVerificationRequired);
        Assert.NotNull(start.View);
        Assert.False(start.View.IsRenewal);
    }

    [Fact]
    public async Task StartAsync_WithZeroMinuteGrants_SpendsTheGrantSoTheNextOpeningAsksAgain()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["TwoFactor:ReVerificationMinutes"] = "0" }).InitializeAsync();
        var user = await host.CreateUserAsync("strict", Password);
        var session = await host.VerifiedSessionAsync("strict", Password);

        var first = await host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(user.Id, session.SessionId));
        var second = await host.WithAsync<TotpEnrollmentService, EnrollmentStart>(s => s.StartAsync(user.Id, session.SessionId));

        Assert.NotNull(first.View);
        Assert.True(second.ReVerificationRequired);
        // The key already shown still confirms: the proof was given before it was shown.
        var confirmed = await host.WithAsync<TotpEnrollmentService, EnrollmentResult>(
            s => s.ConfirmAsync(user.Id, session.SessionId, CodeAt(Base32Encoding.ToBytes(first.View!.SecretBase32), host)));
        Assert.Equal(EnrollmentStatus.Enabled, confirmed.Status);
    }

    [Fact]
    public async Task StartAsync_InASecondSessionOfTheSameUser_NeverReturnsTheFirstSessionsKey()
    {
        var a = await _host.VerifiedSessionAsync("binder", Password);
        var b = await _host.VerifiedSessionAsync("binder", Password);
        var keyOfA = (await StartAsync(a)).View!.SecretBase32;

        var keyOfB = (await StartAsync(b)).View!.SecretBase32;

        Assert.NotEqual(keyOfA, keyOfB);
        Assert.Equal(2, await PendingKeysAsync());
        // B's opening neither replaced nor extended A's key: A still confirms its own.
        Assert.Equal(EnrollmentStatus.Enabled, (await ConfirmAsync(a, CodeAt(Base32Encoding.ToBytes(keyOfA), _host))).Status);
    }

    [Fact]
    public async Task ConfirmAsync_InASecondSessionWithACodeOfTheFirstSessionsKey_IsRefusedAndCounted()
    {
        var a = await _host.VerifiedSessionAsync("binder", Password);
        var b = await _host.StoreSessionAsync("binder");
        var keyOfA = Base32Encoding.ToBytes((await StartAsync(a)).View!.SecretBase32);

        var result = await ConfirmAsync(b, CodeAt(keyOfA, _host));

        Assert.Equal(EnrollmentStatus.NotStarted, result.Status);
        Assert.Equal(TwoFactorState.NotEnabled, await StateAsync());
        Assert.Equal(1, await FailedCountAsync());
        Assert.Contains(await _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().ToListAsync()),
            e => e.Kind == AuditKinds.ReVerificationFailed && e.TargetUserId == _user.Id && e.DetailArguments()[0] == ProofSteps.EnableTwoFactor);
        Assert.Equal(EnrollmentStatus.Enabled, (await ConfirmAsync(a, CodeAt(keyOfA, _host))).Status);
    }

    [Fact]
    public async Task ConfirmAsync_ReplayedFromAnotherSessionWithAKeyOfItsOwn_IsRefusedAndCounted()
    {
        var a = await _host.VerifiedSessionAsync("binder", Password);
        var b = await _host.VerifiedSessionAsync("binder", Password);
        var keyOfA = Base32Encoding.ToBytes((await StartAsync(a)).View!.SecretBase32);
        var keyOfB = Base32Encoding.ToBytes((await StartAsync(b)).View!.SecretBase32);
        var code = CodeAt(keyOfA, _host);
        Assert.NotEqual(CodeAt(keyOfB, _host), code);
        // A keeps B signed in, so that B can still try.
        Assert.Equal(EnrollmentStatus.Enabled, (await _host.WithAsync<TotpEnrollmentService, EnrollmentResult>(
            s => s.ConfirmAsync(_user.Id, a.SessionId, code, signOutOtherDevices: false))).Status);

        var replayed = await ConfirmAsync(b, code);

        Assert.Equal(EnrollmentStatus.WrongCode, replayed.Status);
        Assert.Equal(1, await FailedCountAsync());
        Assert.Equal(SecondFactorResult.Replayed, await VerifyAsync(_host, _user.Id, code));
    }

    [Fact]
    public async Task CancelAsync_FromAnotherSession_LeavesTheKey()
    {
        var a = await _host.VerifiedSessionAsync("binder", Password);
        var b = await _host.StoreSessionAsync("binder");
        var keyOfA = Base32Encoding.ToBytes((await StartAsync(a)).View!.SecretBase32);

        await _host.WithAsync<TotpEnrollmentService, bool>(async s => { await s.CancelAsync(_user.Id, b.SessionId); return true; });

        Assert.Equal(EnrollmentStatus.Enabled, (await ConfirmAsync(a, CodeAt(keyOfA, _host))).Status);
    }

    [Fact]
    public async Task ConfirmAsync_AfterTheSessionWasRevoked_IsRefusedAndEnablesNothing()
    {
        var a = await _host.VerifiedSessionAsync("binder", Password);
        var keyOfA = Base32Encoding.ToBytes((await StartAsync(a)).View!.SecretBase32);
        await _host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == a.SessionId).ExecuteDeleteAsync());

        var result = await ConfirmAsync(a, CodeAt(keyOfA, _host));

        Assert.Equal(EnrollmentStatus.SessionEnded, result.Status);
        Assert.Equal(TwoFactorState.NotEnabled, await StateAsync());
    }
}
