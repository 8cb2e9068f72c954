using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Core.ReVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;
using static RustDesk.Tests.Core.Passkeys.PasskeyTestHelpers;

namespace RustDesk.Tests.Core.Authentication;

/// <summary>
/// Passkey assertions at the sign-in's second step, in re-verification and passwordless, answered by a software
/// authenticator: what verifies, and every refusal an attacker would try (replay, another session's challenge, unknown
/// credential, forged signature, a counter going back, oversized client data), each counted toward lockout.
/// </summary>
public sealed class PasskeyAssertionTests : IAsyncLifetime
{
    private const string Password = "operator password 1";
    private CoreHost _host = default!;
    private ConsoleUser _user = default!;
    private StoredSession _session = default!;
    private readonly SoftwareAuthenticator _authenticator = new();

    public async Task InitializeAsync()
    {
        _host = await new CoreHost(new Dictionary<string, string?> { ["Accounts:LockoutFailures"] = "3" }).InitializeAsync();
        _user = await _host.CreateUserAsync("operator", Password);
        _session = await _host.StoreSessionAsync("operator");
        Assert.Equal(PasskeyChangeStatus.Done, (await RegisterAsync(_host, _session, _authenticator)).Status);
    }

    public async Task DisposeAsync()
    {
        _authenticator.Dispose();
        await _host.DisposeAsync();
    }

    private Task<string?> BeginReVerifyAsync(StoredSession? session = null) =>
        _host.WithAsync<ReVerificationService, string?>(s => s.BeginPasskeyAsync(_user.Id, (session ?? _session).SessionId));

    private Task<ReVerificationStatus> ReVerifyAsync(string? answer, StoredSession? session = null) =>
        _host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyPasskeyAsync(_user.Id, (session ?? _session).SessionId, answer));

    private async Task<int> FailuresAsync() =>
        (await AuditAsync(_host.Services)).Count(e => e.Kind is AuditKinds.SignInFailed or AuditKinds.ReVerificationFailed or AuditKinds.SignInLockedOut
            && e.TargetUserId == _user.Id);

    private async Task<string> StartSignInAsync()
    {
        var user = await UserAsync(_host.Services, "operator");
        var start = await _host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(user, false, "198.51.100.7", "test"));
        Assert.Equal(SignInNextStep.Totp, start.Next);
        return start.PendingKey!;
    }

    [Fact]
    public async Task VerifyPasskey_ReVerification_GrantsAndRecordsUse()
    {
        var options = await BeginReVerifyAsync();

        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(_authenticator.Get(options!)));

        var stored = (await PasskeysAsync(_host, _user.Id)).Single();
        Assert.Equal(_host.Time.GetUtcNow().UtcDateTime, stored.LastUsedAt);
        Assert.Equal(_authenticator.Counter, (uint)stored.SignCount);
        var begin = await _host.WithAsync<PasskeyService, PasskeyChangeResult>(s => s.BeginRegistrationAsync(_user.Id, _session.SessionId));
        Assert.False(begin.ReVerificationRequired);
    }

    [Fact]
    public async Task VerifyPasskey_ReplayedAssertion_IsRefusedAndCounted()
    {
        // Without a counter (as many platform passkeys), only the single-use challenge stops a replay.
        _authenticator.Counts = false;
        var answer = _authenticator.Get((await BeginReVerifyAsync())!);
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(answer));

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(answer));
        Assert.Equal(1, await FailuresAsync());
        // A failed re-verification inside the session, with the step and the reason as separate, translatable arguments.
        var failure = Assert.Single(await AuditAsync(_host.Services), e => e.TargetUserId == _user.Id && e.Kind == AuditKinds.ReVerificationFailed);
        Assert.Equal("step-failed-reason", failure.DetailKey);
        Assert.Equal([ProofSteps.ReVerificationPasskey, RustDesk.Core.Passkeys.PasskeyRefusals.NoChallenge, AuditDetails.UnknownClientsBudget],
            failure.DetailArguments());
    }

    [Fact]
    public async Task VerifyPasskey_ChallengeOfAnotherSession_IsRefusedAndCounted()
    {
        var other = await _host.StoreSessionAsync("operator");
        var answer = _authenticator.Get((await BeginReVerifyAsync(other))!);

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(answer));
        Assert.Equal(1, await FailuresAsync());
        // The other session's challenge was not spent by the refusal.
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(answer, other));
    }

    [Fact]
    public async Task VerifyPasskey_AfterChallengeLifetime_IsRefused()
    {
        var options = await BeginReVerifyAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(new PasskeyOptions().ChallengeLifetimeSeconds + 1));

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(_authenticator.Get(options!)));
    }

    [Fact]
    public async Task VerifyPasskey_UnknownCredential_IsRefusedAndCounted()
    {
        var answer = _authenticator.Get((await BeginReVerifyAsync())!, credentialId: RandomNumberGenerator.GetBytes(32));

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(answer));
        Assert.Equal(1, await FailuresAsync());
    }

    [Fact]
    public async Task VerifyPasskey_ForgedSignature_IsRefusedCountedAndChangesNothing()
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var before = (await PasskeysAsync(_host, _user.Id)).Single();

        var answer = _authenticator.Get((await BeginReVerifyAsync())!, signWith: forger);

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(answer));
        Assert.Equal(1, await FailuresAsync());
        var after = (await PasskeysAsync(_host, _user.Id)).Single();
        Assert.Equal(before.SignCount, after.SignCount);
        Assert.Null(after.LastUsedAt);
    }

    [Fact]
    public async Task VerifyPasskey_CounterGoesBack_IsRefusedAuditedAsCloneAndKeepsCounter()
    {
        _authenticator.Counter = 4;
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(_authenticator.Get((await BeginReVerifyAsync())!)));
        Assert.Equal(5, (await PasskeysAsync(_host, _user.Id)).Single().SignCount);

        _authenticator.Counter = 2; // a copy of the key that signed fewer times
        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(_authenticator.Get((await BeginReVerifyAsync())!)));

        Assert.Equal(5, (await PasskeysAsync(_host, _user.Id)).Single().SignCount);
        var audit = await AuditAsync(_host.Services);
        Assert.Contains(audit, e => e.Kind == AuditKinds.PasskeyCloneSuspected && e.TargetUserId == _user.Id);
        Assert.Equal(1, await FailuresAsync());
    }

    [Fact]
    public async Task VerifyPasskey_ZeroCounterAfterCounting_IsRefused()
    {
        _authenticator.Counter = 9;
        Assert.Equal(ReVerificationStatus.Verified, await ReVerifyAsync(_authenticator.Get((await BeginReVerifyAsync())!)));
        _authenticator.Counts = false;

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(_authenticator.Get((await BeginReVerifyAsync())!)));
        Assert.Contains(await AuditAsync(_host.Services), e => e.Kind == AuditKinds.PasskeyCloneSuspected);
    }

    [Fact]
    public async Task VerifyPasskey_OversizedClientData_IsRefusedAndCounted()
    {
        var answer = _authenticator.Get((await BeginReVerifyAsync())!, clientDataPadding: PasskeyCeremonies.MaxClientDataLength);

        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(answer));
        Assert.Equal(1, await FailuresAsync());
        Assert.Equal(ReVerificationStatus.PasskeyRefused, await ReVerifyAsync(new string('{', PasskeyCeremonies.MaxResponseJsonLength + 1)));
    }

    [Fact]
    public async Task VerifySecondStep_Passkey_SignsInOnceAndCompletesPendingSignIn()
    {
        var key = await StartSignInAsync();
        var options = await _host.WithAsync<PasskeySignInService, string?>(async s => (await s.OfferSecondStepAsync(key))?.PasskeyOptionsJson);
        var answer = _authenticator.Get(options!);

        var result = await _host.WithAsync<PasskeySignInService, SecondStepResult>(s => s.VerifySecondStepAsync(key, answer));
        var again = await _host.WithAsync<PasskeySignInService, SecondStepResult>(s => s.VerifySecondStepAsync(key, answer));

        Assert.Equal(SecondStepStatus.Succeeded, result.Status);
        Assert.Equal(_user.Id, result.User!.Id);
        Assert.Equal(SecondStepStatus.Expired, again.Status);
    }

    [Fact]
    public async Task VerifySecondStep_RefusedAssertions_CountTowardLockout()
    {
        var key = await StartSignInAsync();
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var statuses = new List<SecondStepStatus>();
        for (var i = 0; i < 3; i++)
        {
            var options = await _host.WithAsync<PasskeySignInService, string?>(async s => (await s.OfferSecondStepAsync(key))?.PasskeyOptionsJson);
            var forged = _authenticator.Get(options!, signWith: forger);
            statuses.Add((await _host.WithAsync<PasskeySignInService, SecondStepResult>(s => s.VerifySecondStepAsync(key, forged))).Status);
        }

        Assert.Equal([SecondStepStatus.PasskeyRefused, SecondStepStatus.PasskeyRefused, SecondStepStatus.LockedOut], statuses);
        // Locked: even the right passkey is refused now, on a new sign-in too.
        var next = await _host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync());
        var right = _authenticator.Get(next!.OptionsJson);
        var passwordless = await _host.WithAsync<PasskeySignInService, PasswordlessResult>(s => s.SignInAsync(next.HandleKey, right, "198.51.100.7", "test", null));
        Assert.Equal(PasswordlessStatus.LockedOut, passwordless.Status);
    }

    [Fact]
    public async Task FailedPasskeySteps_AreAuditedWithTheIpAddressAndBrowser()
    {
        const string firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
        var user = await UserAsync(_host.Services, "operator");
        var start = await _host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(user, false, "198.51.100.61", firefox));
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = await _host.WithAsync<PasskeySignInService, string?>(async s => (await s.OfferSecondStepAsync(start.PendingKey))?.PasskeyOptionsJson);
        var secondStep = await _host.WithAsync<PasskeySignInService, SecondStepResult>(
            s => s.VerifySecondStepAsync(start.PendingKey, _authenticator.Get(options!, signWith: forger)));
        var mine = await _host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync());
        var passwordless = await _host.WithAsync<PasskeySignInService, PasswordlessResult>(
            s => s.SignInAsync(mine!.HandleKey, _authenticator.Get(mine.OptionsJson, withUserHandle: false), "198.51.100.62", firefox, null));

        Assert.Equal(SecondStepStatus.PasskeyRefused, secondStep.Status);
        Assert.Equal(PasswordlessStatus.Failed, passwordless.Status);
        var failures = (await AuditAsync(_host.Services)).Where(e => e.Kind == AuditKinds.SignInFailed && e.TargetUserId == _user.Id).ToList();
        Assert.Equal(["198.51.100.61", "198.51.100.62"], failures.Select(e => e.IpAddress).Order());
        Assert.All(failures, e => Assert.Equal(firefox, e.UserAgent));
    }

    [Fact]
    public async Task SignInPasswordless_DiscoverablePasskey_SignsInItsOwner()
    {
        var start = await _host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync());
        var answer = _authenticator.Get(start!.OptionsJson);

        var result = await _host.WithAsync<PasskeySignInService, PasswordlessResult>(s => s.SignInAsync(start.HandleKey, answer, "198.51.100.7", "test", null));

        Assert.Equal(PasswordlessStatus.Succeeded, result.Status);
        Assert.Equal(_user.Id, result.User!.Id);
    }

    [Fact]
    public async Task SignInPasswordless_OtherBrowsersChallengeOrNoUserHandle_IsRefused()
    {
        var mine = await _host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync());
        var theirs = await _host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync());

        var wrongHandle = await _host.WithAsync<PasskeySignInService, PasswordlessResult>(
            s => s.SignInAsync(theirs!.HandleKey, _authenticator.Get(mine!.OptionsJson), "198.51.100.7", "test", null));
        var noHandle = await _host.WithAsync<PasskeySignInService, PasswordlessResult>(
            s => s.SignInAsync(mine!.HandleKey, _authenticator.Get(mine.OptionsJson, withUserHandle: false), "198.51.100.7", "test", null));

        Assert.Equal(PasswordlessStatus.Failed, wrongHandle.Status);
        Assert.Equal(PasswordlessStatus.Failed, noHandle.Status);
        Assert.Equal(2, await FailuresAsync());
    }

    [Fact]
    public async Task SignInPasswordless_DisabledAccount_IsRefused()
    {
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            var user = (await users.FindByIdAsync(_user.Id))!;
            user.Status = UserStatus.Disabled;
            await users.UpdateAsync(user);
        }
        var start = await _host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync());

        var result = await _host.WithAsync<PasskeySignInService, PasswordlessResult>(
            s => s.SignInAsync(start!.HandleKey, _authenticator.Get(start.OptionsJson), "198.51.100.7", "test", null));

        Assert.Equal(PasswordlessStatus.Disabled, result.Status);
    }

    [Fact]
    public async Task SignInPasswordless_WhenNotAllowed_IsRefused()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["Passkeys:AllowPasswordless"] = "false" }).InitializeAsync();

        Assert.Null(await host.WithAsync<PasskeySignInService, PasswordlessStart?>(s => s.BeginPasswordlessAsync()));
        Assert.Equal(PasswordlessStatus.NotAllowed,
            (await host.WithAsync<PasskeySignInService, PasswordlessResult>(s => s.SignInAsync("x", "{}", null, null, null))).Status);
    }
}
