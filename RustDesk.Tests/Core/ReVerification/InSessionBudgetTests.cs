using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.ReVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.ReVerification;

/// <summary>
/// Wrong secrets typed inside a session spend the failure budget of the browser the session signed in from (its
/// device cookie), then that of unknown clients; each is reserved before the secret is checked. So a flood from
/// elsewhere that locked unknown clients out cannot lock the owner's own session out of its dialogs, and parallel
/// guesses from a stolen session cannot run past the budget.
/// </summary>
public sealed class InSessionBudgetTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private ConsoleUser _admin = default!;

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _admin = await UserAsync(_host.Services, "admin");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ReVerificationStatus> ReVerifyAsync(StoredSession session, string secret) =>
        _host.WithAsync<ReVerificationService, ReVerificationStatus>(s => s.VerifyAsync(session.UserId, session.SessionId, secret));

    private Task<PasswordCheckResult> SignInFromAnUnknownClientAsync(string password) =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("admin", password, "203.0.113.7", "curl/8"));

    /// <summary>A session of a browser that completed a sign-in before, as <c>ConsoleSignIn</c> stores it.</summary>
    private async Task<StoredSession> TrustedSessionAsync()
    {
        var cookie = await _host.WithAsync<TrustedDeviceService, string>(s => s.TrustAsync(_admin.Id, null));
        var hash = await _host.WithAsync<TrustedDeviceService, string?>(s => s.FindAsync(_admin.Id, cookie));
        Assert.NotNull(hash);
        return await _host.StoreSessionAsync("admin", deviceHash: hash);
    }

    [Fact]
    public async Task ReVerify_AfterAFloodLockedOutUnknownClients_TheOwnersTrustedSessionStillVerifies()
    {
        var session = await TrustedSessionAsync();
        for (var i = 0; i < 10; i++)
        {
            await SignInFromAnUnknownClientAsync("wrong guess " + i);
        }
        Assert.Equal(PasswordCheckStatus.LockedOut, (await SignInFromAnUnknownClientAsync(CoreHost.AdminPassword)).Status);

        var status = await ReVerifyAsync(session, CoreHost.AdminPassword);

        Assert.Equal(ReVerificationStatus.Verified, status);
        Assert.True(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task ReVerify_WrongSecretsInATrustedSession_SpendTheDevicesBudgetBeforeThatOfUnknownClients()
    {
        var session = await TrustedSessionAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ReVerificationStatus.Wrong, await ReVerifyAsync(session, "wrong guess " + i));
        }

        // The device's budget is spent; unknown clients' is untouched, so the session lives on and the owner signs in elsewhere.
        Assert.True(await _host.IsValidAsync(session));
        Assert.Equal(PasswordCheckStatus.Succeeded, (await SignInFromAnUnknownClientAsync(CoreHost.AdminPassword)).Status);
        var results = new List<ReVerificationStatus>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await ReVerifyAsync(session, "another guess " + i));
        }
        Assert.All(results.Take(9), r => Assert.Equal(ReVerificationStatus.Wrong, r));
        Assert.Equal(ReVerificationStatus.LockedOut, results[9]);
        Assert.False(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task ReVerify_WrongSecretsInASessionWithoutDevice_LockUnknownClientsAndEndTheSession()
    {
        var session = await _host.StoreSessionAsync("admin");

        var results = new List<ReVerificationStatus>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await ReVerifyAsync(session, "wrong guess " + i));
        }

        Assert.All(results.Take(9), r => Assert.Equal(ReVerificationStatus.Wrong, r));
        Assert.Equal(ReVerificationStatus.LockedOut, results[9]);
        Assert.False(await _host.IsValidAsync(session));
        Assert.Equal(PasswordCheckStatus.LockedOut, (await SignInFromAnUnknownClientAsync(CoreHost.AdminPassword)).Status);
        Assert.Contains(await AuditAsync(_host.Services), e => e.Kind == AuditKinds.ReVerificationFailed && e.Detail.StartsWith(ProofSteps.ReVerification));
    }

    [Fact]
    public async Task ReVerify_FiftyWrongSecretsAtOnce_CheckNoMoreThanTheBudget()
    {
        var session = await _host.StoreSessionAsync("admin");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => ReVerifyAsync(session, "parallel guess " + i)));

        // Every checked secret is audited as a failure of its step; refusals before the check are not.
        var checkedSecrets = (await AuditAsync(_host.Services)).Count(e =>
            e.Kind is AuditKinds.ReVerificationFailed or AuditKinds.SignInLockedOut && e.Detail.StartsWith(ProofSteps.ReVerification + ";"));
        Assert.Equal(10, checkedSecrets);
        Assert.False(await _host.IsValidAsync(session));
    }
}
