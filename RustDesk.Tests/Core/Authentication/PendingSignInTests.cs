using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Recovery;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.Authentication;

/// <summary>
/// A pending sign-in is bound to the security stamp and the 2FA method of its password step, and has an absolute
/// lifetime that resending a code does not extend.
/// </summary>
public sealed class PendingSignInTests : IAsyncLifetime
{
    private const string Address = "jane@example.com";
    private const string Password = "jane password 1";
    private EmailTestHost _env = default!;
    private ConsoleUser _jane = default!;

    public async Task InitializeAsync()
    {
        _env = await EmailTestHost.StartAsync();
        _jane = await _env.CreateVerifiedUserAsync("jane", Password, Address);
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private CoreHost Host => _env.Host;

    private async Task<SignInStart> StartAsync()
    {
        var user = await UserAsync(Host.Services, "jane");
        return await Host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(user, false, "192.0.2.8", "Safari"));
    }

    private Task<SecondStepResult> VerifyTotpAsync(string key, string code) =>
        Host.WithAsync<SecondFactorSignInService, SecondStepResult>(s => s.VerifyAsync(key, code));

    private Task<EmailStepResult> VerifyEmailAsync(string key, string code) =>
        Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.VerifyAsync(key, code));

    private Task<int> PendingCountAsync() => Host.WithAsync<ConsoleDbContext, int>(db => db.PendingSignIns.CountAsync());

    [Fact]
    public async Task TotpStep_PasswordChangedSinceThePasswordStep_IsRefused()
    {
        var (key, _) = await SeedTotpAsync(Host.Services, _jane.Id);
        var start = await StartAsync();

        var changed = await Host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(async u =>
            await u.ChangePasswordAsync((await u.FindByIdAsync(_jane.Id))!, Password, "Quiet-Harbor-Lantern-77"));
        Assert.True(changed.Succeeded);
        var result = await VerifyTotpAsync(start.PendingKey!, TotpCode(key, Host.Time.GetUtcNow()));

        Assert.Equal(SecondStepStatus.Expired, result.Status);
        Assert.Equal(0, await PendingCountAsync());
    }

    [Fact]
    public async Task TotpStep_SetPasswordFromTheCommandLineSinceThePasswordStep_IsRefused()
    {
        var (key, _) = await SeedTotpAsync(Host.Services, _jane.Id);
        var start = await StartAsync();

        var set = await Host.WithAsync<RecoveryService, RecoveryResult>(s => s.SetPasswordAsync("jane", "Copper-Meadow-Trellis-51"));
        Assert.Equal(RecoveryStatus.Done, set.Status);
        var result = await VerifyTotpAsync(start.PendingKey!, TotpCode(key, Host.Time.GetUtcNow()));

        Assert.Equal(SecondStepStatus.Expired, result.Status);
    }

    [Fact]
    public async Task TotpStep_StaffForcedLogoutSinceThePasswordStep_IsRefused()
    {
        var (key, _) = await SeedTotpAsync(Host.Services, _jane.Id);
        var admin = await UserAsync(Host.Services, "admin");
        var (adminKey, _) = await RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers.EnableAsync(Host, admin.Id);
        var session = await Host.VerifiedSessionAsync("admin", RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers.CodeAt(adminKey, Host));
        var start = await StartAsync();

        var forced = await Host.WithAsync<UserAdministrationService, StaffResult>(async s => (await s.ForceLogoutAsync(admin.Id, session.SessionId, _jane.Id)).Result);
        var result = await VerifyTotpAsync(start.PendingKey!, TotpCode(key, Host.Time.GetUtcNow()));

        Assert.Equal(StaffResult.Done, forced);
        Assert.Equal(SecondStepStatus.Expired, result.Status);
    }

    [Fact]
    public async Task TotpStep_TotpTurnedOffSinceThePasswordStep_IsRefused()
    {
        var (key, _) = await SeedTotpAsync(Host.Services, _jane.Id);
        var start = await StartAsync();

        await Host.WithAsync<ConsoleDbContext, int>(db => db.TotpAuthenticators.Where(a => a.UserId == _jane.Id).ExecuteDeleteAsync());
        var result = await VerifyTotpAsync(start.PendingKey!, TotpCode(key, Host.Time.GetUtcNow()));

        Assert.Equal(SecondStepStatus.Expired, result.Status);
        Assert.Equal(0, await PendingCountAsync());
    }

    [Fact]
    public async Task EmailStep_TotpTurnedOnSinceThePasswordStep_IsRefusedEvenWithTheRightCode()
    {
        var start = await StartAsync();
        var code = await _env.DeliverAndReadCodeAsync(Address);

        await SeedTotpAsync(Host.Services, _jane.Id);
        var result = await VerifyEmailAsync(start.PendingKey!, code);

        Assert.Equal(SignInNextStep.Email, start.Next);
        Assert.Equal(EmailStepStatus.Expired, result.Status);
        Assert.Equal(0, await PendingCountAsync());
    }

    [Fact]
    public async Task EmailStep_ResentCode_ExpiresAfterItsOwnLifetime()
    {
        var start = await StartAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(9));

        await Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.ResendAsync(start.PendingKey));
        var state = await Host.WithAsync<EmailSignInService, EmailSignInState?>(s => s.GetStateAsync(start.PendingKey));

        Assert.Equal(Host.Time.GetUtcNow().UtcDateTime.AddMinutes(10), state!.ExpiresAt);
    }

    [Fact]
    public async Task EmailStep_Resends_DoNotExtendTheSignInBeyondItsAbsoluteEnd()
    {
        var started = Host.Time.GetUtcNow().UtcDateTime;
        var start = await StartAsync();
        for (var i = 0; i < 3; i++)
        {
            Host.Time.Advance(TimeSpan.FromMinutes(9));
            Assert.Equal(EmailStepStatus.Sent, (await Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.ResendAsync(start.PendingKey))).Status);
        }
        var code = await _env.DeliverAndReadCodeAsync(Address, previousCount: 3);
        var state = await Host.WithAsync<EmailSignInService, EmailSignInState?>(s => s.GetStateAsync(start.PendingKey));

        // Resent at minute 27: a fresh code would live until 37, but the sign-in ends at 30.
        Host.Time.Advance(TimeSpan.FromMinutes(4));
        var result = await VerifyEmailAsync(start.PendingKey!, code);

        Assert.Equal(started + PendingSignInService.AbsoluteLifetime, state!.ExpiresAt);
        Assert.Equal(EmailStepStatus.Expired, result.Status);
    }
}
