using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Passkeys.Settings;
using RustDesk.Core.ReVerification;
using RustDesk.Tests.Core.Passkeys;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;
using static RustDesk.Tests.Core.Passkeys.PasskeyTestHelpers;

namespace RustDesk.Tests.Core.Authentication;

/// <summary>Races and the places that must count a passkey as 2FA.</summary>
public sealed class PasskeyStateTests : PasskeyUserTest
{
    protected override async Task ArrangeAsync()
    {
        Assert.Equal(PasskeyChangeStatus.Done, (await RegisterAsync(Host, Session, Authenticator)).Status);
    }

    [Fact]
    public async Task VerifyPasskey_SameAssertionInParallel_PassesOnce()
    {
        Authenticator.Counts = false; // the challenge alone must decide
        var options = await Host.WithAsync<ReVerificationService, string?>(s => s.BeginPasskeyAsync(User.Id, Session.SessionId));
        var answer = Authenticator.Get(options!);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyPasskeyAsync(User.Id, Session.SessionId, answer))));

        Assert.Equal(1, results.Count(r => r == ReVerificationStatus.Verified));
        Assert.Equal(7, results.Count(r => r == ReVerificationStatus.PasskeyRefused));
    }

    [Fact]
    public async Task PasskeyOnly_CountsAsTwoFactorForEnforcementGridAndStaffRules()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            var user = (await users.FindByIdAsync(User.Id))!;
            user.TwoFactorEnforced = true;
            await users.UpdateAsync(user);
        }

        Assert.False(await Host.WithAsync<RustDesk.Core.Sessions.SessionGuard, bool>(g => g.MustEnrollAsync(User.Id)));
        Assert.Equal(RustDesk.Core.Sessions.SessionCheck.Valid,
            await Host.WithAsync<RustDesk.Core.Sessions.SessionGuard, RustDesk.Core.Sessions.SessionCheck>(g => g.CheckAsync(User.Id, Session.SessionId)));
        Assert.True(await Host.WithAsync<RustDesk.Core.TwoFactor.SecondFactorVerifier, bool>(v => v.IsEnabledAsync(User.Id)));
        var admin = (await Host.FindUserAsync("admin"))!;
        await SeedTotpAsync(Host.Services, admin.Id);
        var adminSession = await Host.StoreSessionAsync("admin");
        var page = await Host.WithAsync<RustDesk.Core.Administration.UserDirectory, RustDesk.Core.Administration.UserPage>(
            d => d.SearchAsync(admin.Id, adminSession.SessionId, new RustDesk.Core.Administration.UserQuery { TwoFactor = RustDesk.Core.TwoFactor.Settings.TwoFactorState.Enabled }));
        Assert.Contains(page.Items, r => r.Id == User.Id);
        // The 2FA step follows the password for a passkey-only user.
        var signingIn = await UserAsync(Host.Services, "operator");
        Assert.Equal(SecondFactorMethod.Totp, await Host.WithAsync<PendingSignInService, SecondFactorMethod?>(p => p.RequiredMethodAsync(signingIn)));
    }
}
