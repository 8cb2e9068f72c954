using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Core.ReVerification;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Passkeys.PasskeyTestHelpers;

namespace RustDesk.Tests.Core.Passkeys.Settings;

/// <summary>Registering, renaming and removing passkeys: re-verified, session-bound, single-use, short-lived challenges.</summary>
public sealed class PasskeyRegistrationTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;
    private StoredSession _session = default!;
    private readonly SoftwareAuthenticator _authenticator = new();

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _user = await _host.CreateUserAsync("operator", "operator password 1");
        _session = await _host.StoreSessionAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _authenticator.Dispose();
        await _host.DisposeAsync();
    }

    private Task<PasskeyChangeResult> BeginAsync(StoredSession? session = null) =>
        _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.BeginRegistrationAsync(_user.Id, (session ?? _session).SessionId));

    private Task<PasskeyChangeResult> FinishAsync(string? answer, StoredSession? session = null, string? name = "Laptop") =>
        _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.FinishRegistrationAsync(_user.Id, (session ?? _session).SessionId, name, answer));

    [Fact]
    public async Task FinishRegistration_AfterReVerification_StoresNamedPasskeyAndTurnsTwoFactorOn()
    {
        var result = await RegisterAsync(_host, _session, _authenticator, "  Office key  ");

        Assert.Equal(PasskeyChangeStatus.Done, result.Status);
        var list = await _host.WithAsync<PasskeyService, IReadOnlyList<PasskeyInfo>>(s => s.ListAsync(_user.Id, _session.SessionId));
        var passkey = Assert.Single(list);
        Assert.Equal("Office key", passkey.Name);
        Assert.Equal(_host.Time.GetUtcNow().UtcDateTime, passkey.CreatedAt);
        Assert.Null(passkey.LastUsedAt);
        var status = await _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(_user.Id, _session.SessionId));
        Assert.Equal(TwoFactorState.Enabled, status.State);
        // 2FA on with a passkey only: re-verification offers the passkey and no code field.
        Assert.Equal(new ReVerificationOffer(ReVerificationMethod.SecondFactor, Code: false, Passkey: true),
            await _host.WithAsync<ReVerificationService, ReVerificationOffer>(s => s.OfferAsync(_user.Id, _session.SessionId)));
        var audit = await RustDesk.Tests.Core.Authentication.SignInTestHelpers.AuditAsync(_host.Services);
        var registered = Assert.Single(audit, e => e.Kind == RustDesk.Core.Audit.AuditKinds.PasskeyRegistered && e.TargetUserId == _user.Id);
        Assert.Equal(("passkey-name", "Office key", "passkey \"Office key\""),
            (registered.DetailKey, Assert.Single(registered.DetailArguments()), registered.Detail));
    }

    [Fact]
    public async Task BeginRegistration_WithoutReVerification_AsksForItAndIssuesNoChallenge()
    {
        var begin = await BeginAsync();

        Assert.True(begin.ReVerificationRequired);
        Assert.Null(begin.OptionsJson);
    }

    [Fact]
    public async Task FinishRegistration_ChallengeOfAnotherSession_IsRefusedAndStoresNothing()
    {
        await TestSessions.GrantAsync(_host.Services, _session.SessionId);
        var begin = await BeginAsync();
        var other = await _host.StoreSessionAsync("operator");

        var result = await FinishAsync(_authenticator.Create(begin.OptionsJson!), other);

        Assert.Equal(PasskeyChangeStatus.NoChallenge, result.Status);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
    }

    [Fact]
    public async Task FinishRegistration_SameChallengeTwice_SecondIsRefused()
    {
        await TestSessions.GrantAsync(_host.Services, _session.SessionId);
        var begin = await BeginAsync();
        var answer = _authenticator.Create(begin.OptionsJson!);
        Assert.Equal(PasskeyChangeStatus.Done, (await FinishAsync(answer)).Status);

        var again = await FinishAsync(answer, name: "Again");

        Assert.Equal(PasskeyChangeStatus.NoChallenge, again.Status);
        Assert.Single(await PasskeysAsync(_host, _user.Id));
    }

    [Fact]
    public async Task FinishRegistration_AfterChallengeLifetime_IsRefused()
    {
        await TestSessions.GrantAsync(_host.Services, _session.SessionId);
        var begin = await BeginAsync();
        var answer = _authenticator.Create(begin.OptionsJson!);
        _host.Time.Advance(TimeSpan.FromSeconds(new PasskeyOptions().ChallengeLifetimeSeconds + 1));

        Assert.Equal(PasskeyChangeStatus.NoChallenge, (await FinishAsync(answer)).Status);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
    }

    [Fact]
    public async Task FinishRegistration_WrongOrigin_IsRefused()
    {
        await TestSessions.GrantAsync(_host.Services, _session.SessionId);
        var begin = await BeginAsync();
        _authenticator.Origin = "https://evil.example";

        Assert.Equal(PasskeyChangeStatus.Refused, (await FinishAsync(_authenticator.Create(begin.OptionsJson!))).Status);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task FinishRegistration_BadName_IsRefused(string name)
    {
        await TestSessions.GrantAsync(_host.Services, _session.SessionId);
        var begin = await BeginAsync();

        Assert.Equal(PasskeyChangeStatus.InvalidName, (await FinishAsync(_authenticator.Create(begin.OptionsJson!), name: name)).Status);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
    }

    [Fact]
    public async Task RenameAndRemove_NeedReVerificationAndOwnPasskey()
    {
        await RegisterAsync(_host, _session, _authenticator);
        var id = (await PasskeysAsync(_host, _user.Id)).Single().Id;
        var fresh = await _host.StoreSessionAsync("operator");

        var renameUngranted = await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RenameAsync(_user.Id, fresh.SessionId, id, "New"));
        var removeUngranted = await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(_user.Id, fresh.SessionId, id));
        Assert.True(renameUngranted.ReVerificationRequired);
        Assert.True(removeUngranted.ReVerificationRequired);

        var intruder = await _host.CreateUserAsync("intruder", "intruder password 1");
        var intruderSession = await _host.StoreSessionAsync("intruder");
        await TestSessions.GrantAsync(_host.Services, intruderSession.SessionId);
        var forged = await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(intruder.Id, intruderSession.SessionId, id));
        Assert.Equal(PasskeyChangeStatus.NotFound, forged.Status);

        await TestSessions.GrantAsync(_host.Services, fresh.SessionId);
        Assert.Equal(PasskeyChangeStatus.Done, (await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RenameAsync(_user.Id, fresh.SessionId, id, " Desk "))).Status);
        Assert.Equal("Desk", (await PasskeysAsync(_host, _user.Id)).Single().Name);
        Assert.Equal(PasskeyChangeStatus.Done, (await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(_user.Id, fresh.SessionId, id))).Status);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
        var status = await _host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(_user.Id, fresh.SessionId));
        Assert.Equal(TwoFactorState.NotEnabled, status.State);
    }

    [Fact]
    public async Task ResetTwoFactor_CommandLine_RemovesPasskeys()
    {
        await RegisterAsync(_host, _session, _authenticator);

        var result = await _host.WithAsync<RustDesk.Core.Recovery.RecoveryService, RustDesk.Core.Recovery.RecoveryResult>(s => s.ResetTwoFactorAsync("operator"));

        Assert.Equal(RustDesk.Core.Recovery.RecoveryStatus.Done, result.Status);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
        Assert.False(await _host.WithAsync<SecondFactorVerifier, bool>(s => s.IsEnabledAsync(_user.Id)));
    }

    [Fact]
    public async Task ResetTwoFactor_Staff_RemovesPasskeys()
    {
        await RegisterAsync(_host, _session, _authenticator);
        var admin = (await _host.FindUserAsync("admin"))!;
        await RustDesk.Tests.Core.Authentication.SignInTestHelpers.SeedTotpAsync(_host.Services, admin.Id);
        var adminSession = await _host.StoreSessionAsync("admin");
        await TestSessions.GrantAsync(_host.Services, adminSession.SessionId);

        var result = await _host.WithAsync<RustDesk.Core.Administration.UserAdministrationService, RustDesk.Core.Administration.StaffActionResult>(
            s => s.ResetTwoFactorAsync(admin.Id, adminSession.SessionId, _user.Id));

        Assert.Equal(RustDesk.Core.Administration.StaffResult.Done, result.Result);
        Assert.Empty(await PasskeysAsync(_host, _user.Id));
    }

    [Fact]
    public async Task FinishRegistrationAndRemove_UserWithAddress_IsMailed()
    {
        await _host.CreateUserAsync("mailed", "mailed password 1", email: "mailed@example.com");
        var session = await _host.StoreSessionAsync("mailed");
        using var authenticator = new SoftwareAuthenticator();

        await RegisterAsync(_host, session, authenticator);
        var id = (await PasskeysAsync(_host, session.UserId)).Single().Id;
        await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(session.UserId, session.SessionId, id));

        await using var scope = _host.Services.CreateAsyncScope();
        var subjects = await scope.ServiceProvider.GetRequiredService<RustDesk.Core.Data.ConsoleDbContext>().OutboxMessages
            .Where(m => m.To == "mailed@example.com").Select(m => m.Subject).ToListAsync();
        Assert.Contains(subjects, s => s.Contains("A passkey was added to your account", StringComparison.Ordinal));
        Assert.Contains(subjects, s => s.Contains("A passkey was removed from your account", StringComparison.Ordinal));
    }
}
