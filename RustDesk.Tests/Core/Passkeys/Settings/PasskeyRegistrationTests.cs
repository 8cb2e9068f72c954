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
public sealed class PasskeyRegistrationTests : PasskeyUserTest
{
    private Task<PasskeyChangeResult> BeginAsync(StoredSession? session = null) =>
        Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.BeginRegistrationAsync(User.Id, (session ?? Session).SessionId));

    private Task<PasskeyChangeResult> FinishAsync(string? answer, StoredSession? session = null, string? name = "Laptop") =>
        Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.FinishRegistrationAsync(User.Id, (session ?? Session).SessionId, name, answer));

    [Fact]
    public async Task FinishRegistration_AfterReVerification_StoresNamedPasskeyAndTurnsTwoFactorOn()
    {
        var result = await RegisterAsync(Host, Session, Authenticator, "  Office key  ");

        Assert.Equal(PasskeyChangeStatus.Done, result.Status);
        var list = await Host.WithAsync<PasskeyService, IReadOnlyList<PasskeyInfo>>(s => s.ListAsync(User.Id, Session.SessionId));
        var passkey = Assert.Single(list);
        Assert.Equal("Office key", passkey.Name);
        Assert.Equal(Host.Time.GetUtcNow().UtcDateTime, passkey.CreatedAt);
        Assert.Null(passkey.LastUsedAt);
        var status = await Host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(User.Id, Session.SessionId));
        Assert.Equal(TwoFactorState.Enabled, status.State);
        // 2FA on with a passkey only: re-verification offers the passkey and no code field.
        Assert.Equal(new ReVerificationOffer(ReVerificationMethod.SecondFactor, Code: false, Passkey: true),
            await Host.WithAsync<ReVerificationService, ReVerificationOffer>(s => s.OfferAsync(User.Id, Session.SessionId)));
        var audit = await RustDesk.Tests.Core.Authentication.SignInTestHelpers.AuditAsync(Host.Services);
        var registered = Assert.Single(audit, e => e.Kind == RustDesk.Core.Audit.AuditKinds.PasskeyRegistered && e.TargetUserId == User.Id);
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
        await TestSessions.GrantAsync(Host.Services, Session.SessionId);
        var begin = await BeginAsync();
        var other = await Host.StoreSessionAsync("operator");

        var result = await FinishAsync(Authenticator.Create(begin.OptionsJson!), other);

        Assert.Equal(PasskeyChangeStatus.NoChallenge, result.Status);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
    }

    [Fact]
    public async Task FinishRegistration_SameChallengeTwice_SecondIsRefused()
    {
        await TestSessions.GrantAsync(Host.Services, Session.SessionId);
        var begin = await BeginAsync();
        var answer = Authenticator.Create(begin.OptionsJson!);
        Assert.Equal(PasskeyChangeStatus.Done, (await FinishAsync(answer)).Status);

        var again = await FinishAsync(answer, name: "Again");

        Assert.Equal(PasskeyChangeStatus.NoChallenge, again.Status);
        Assert.Single(await PasskeysAsync(Host, User.Id));
    }

    [Fact]
    public async Task FinishRegistration_AfterChallengeLifetime_IsRefused()
    {
        await TestSessions.GrantAsync(Host.Services, Session.SessionId);
        var begin = await BeginAsync();
        var answer = Authenticator.Create(begin.OptionsJson!);
        Host.Time.Advance(TimeSpan.FromSeconds(new PasskeyOptions().ChallengeLifetimeSeconds + 1));

        Assert.Equal(PasskeyChangeStatus.NoChallenge, (await FinishAsync(answer)).Status);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
    }

    [Fact]
    public async Task FinishRegistration_WrongOrigin_IsRefused()
    {
        await TestSessions.GrantAsync(Host.Services, Session.SessionId);
        var begin = await BeginAsync();
        Authenticator.Origin = "https://evil.example";

        Assert.Equal(PasskeyChangeStatus.Refused, (await FinishAsync(Authenticator.Create(begin.OptionsJson!))).Status);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task FinishRegistration_BadName_IsRefused(string name)
    {
        await TestSessions.GrantAsync(Host.Services, Session.SessionId);
        var begin = await BeginAsync();

        Assert.Equal(PasskeyChangeStatus.InvalidName, (await FinishAsync(Authenticator.Create(begin.OptionsJson!), name: name)).Status);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
    }

    [Fact]
    public async Task RenameAndRemove_NeedReVerificationAndOwnPasskey()
    {
        await RegisterAsync(Host, Session, Authenticator);
        var id = (await PasskeysAsync(Host, User.Id)).Single().Id;
        var fresh = await Host.StoreSessionAsync("operator");

        var renameUngranted = await Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RenameAsync(User.Id, fresh.SessionId, id, "New"));
        var removeUngranted = await Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(User.Id, fresh.SessionId, id));
        Assert.True(renameUngranted.ReVerificationRequired);
        Assert.True(removeUngranted.ReVerificationRequired);

        var intruder = await Host.CreateUserAsync("intruder", "intruder password 1");
        var intruderSession = await Host.StoreSessionAsync("intruder");
        await TestSessions.GrantAsync(Host.Services, intruderSession.SessionId);
        var forged = await Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(intruder.Id, intruderSession.SessionId, id));
        Assert.Equal(PasskeyChangeStatus.NotFound, forged.Status);

        await TestSessions.GrantAsync(Host.Services, fresh.SessionId);
        Assert.Equal(PasskeyChangeStatus.Done, (await Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RenameAsync(User.Id, fresh.SessionId, id, " Desk "))).Status);
        Assert.Equal("Desk", (await PasskeysAsync(Host, User.Id)).Single().Name);
        Assert.Equal(PasskeyChangeStatus.Done, (await Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(User.Id, fresh.SessionId, id))).Status);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
        var status = await Host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(User.Id, fresh.SessionId));
        Assert.Equal(TwoFactorState.NotEnabled, status.State);
    }

    [Fact]
    public async Task ResetTwoFactor_CommandLine_RemovesPasskeys()
    {
        await RegisterAsync(Host, Session, Authenticator);

        var result = await Host.WithAsync<RustDesk.Core.Recovery.RecoveryService, RustDesk.Core.Recovery.RecoveryResult>(s => s.ResetTwoFactorAsync("operator"));

        Assert.Equal(RustDesk.Core.Recovery.RecoveryStatus.Done, result.Status);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
        Assert.False(await Host.WithAsync<SecondFactorVerifier, bool>(s => s.IsEnabledAsync(User.Id)));
    }

    [Fact]
    public async Task ResetTwoFactor_Staff_RemovesPasskeys()
    {
        await RegisterAsync(Host, Session, Authenticator);
        var admin = (await Host.FindUserAsync("admin"))!;
        await RustDesk.Tests.Core.Authentication.SignInTestHelpers.SeedTotpAsync(Host.Services, admin.Id);
        var adminSession = await Host.StoreSessionAsync("admin");
        await TestSessions.GrantAsync(Host.Services, adminSession.SessionId);

        var result = await Host.WithAsync<RustDesk.Core.Administration.UserAdministrationService, RustDesk.Core.Administration.StaffActionResult>(
            s => s.ResetTwoFactorAsync(admin.Id, adminSession.SessionId, User.Id));

        Assert.Equal(RustDesk.Core.Administration.StaffResult.Done, result.Result);
        Assert.Empty(await PasskeysAsync(Host, User.Id));
    }

    [Fact]
    public async Task FinishRegistrationAndRemove_UserWithAddress_IsMailed()
    {
        await Host.CreateUserAsync("mailed", "mailed password 1", email: "mailed@example.com");
        var session = await Host.StoreSessionAsync("mailed");
        using var authenticator = new SoftwareAuthenticator();

        await RegisterAsync(Host, session, authenticator);
        var id = (await PasskeysAsync(Host, session.UserId)).Single().Id;
        await Host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.RemoveAsync(session.UserId, session.SessionId, id));

        await using var scope = Host.Services.CreateAsyncScope();
        var subjects = await scope.ServiceProvider.GetRequiredService<RustDesk.Core.Data.ConsoleDbContext>().OutboxMessages
            .Where(m => m.To == "mailed@example.com").Select(m => m.Subject).ToListAsync();
        Assert.Contains(subjects, s => s.Contains("A passkey was added to your account", StringComparison.Ordinal));
        Assert.Contains(subjects, s => s.Contains("A passkey was removed from your account", StringComparison.Ordinal));
    }
}
