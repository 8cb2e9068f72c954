using RustDesk.Core.Accounts;
using RustDesk.Core.ClientApi;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;

namespace RustDesk.Tests.Core.ClientApi;

/// <summary>The account API's rules in Core, on a fake clock: secret lifetime, how many client sign-ins stay open, the second-factor decision.</summary>
public sealed class ClientLoginServiceTests : IAsyncLifetime
{
    private const string Password = "Quiet-Harbor-Lantern-58";
    private CoreHost _host = default!;
    private ConsoleUser _jane = default!;
    private byte[] _key = [];

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _jane = await _host.CreateUserAsync("jane", Password, email: "jane@example.com");
        _key = (await SeedTotpAsync(_host.Services, _jane.Id)).Key;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ClientLoginResult> LoginAsync(ClientLoginRequest request) =>
        _host.WithAsync<ClientLoginService, ClientLoginResult>(s => s.LoginAsync(request, "192.0.2.7"));

    private static ClientLoginRequest Step1(string uuid = "uuid-1") => new()
    {
        Username = "jane", Password = Password, Id = "123456789", Uuid = uuid, Type = "account",
        DeviceInfo = new ClientDeviceInfo("linux", "client", "box"),
    };

    private ClientLoginRequest Step2(string? secret, string uuid = "uuid-1", string? code = null) => new()
    {
        Username = "jane", Id = "123456789", Uuid = uuid, Type = "email_code", Secret = secret,
        VerificationCode = code ?? TotpCode(_key, _host.Time.GetUtcNow()),
        DeviceInfo = new ClientDeviceInfo("linux", "client", "box"),
    };

    [Fact]
    public async Task LoginAsync_SecretPastItsLifetime_IsRefusedEvenWithTheRightCode()
    {
        var secret = (await LoginAsync(Step1())).Challenge!.Secret;
        _host.Time.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(1)));

        var result = await LoginAsync(Step2(secret));

        Assert.Equal(ClientLoginStatus.WrongCode, result.Status);
        Assert.Equal(ClientApiMessages.WrongCode, result.Error);
    }

    [Fact]
    public async Task LoginAsync_SecretWithinItsLifetime_SignsIn()
    {
        var secret = (await LoginAsync(Step1())).Challenge!.Secret;
        _host.Time.Advance(TimeSpan.FromMinutes(9));

        var result = await LoginAsync(Step2(secret));

        Assert.Equal(ClientLoginStatus.SignedIn, result.Status);
        Assert.Equal(43, result.SignedIn!.AccessToken.Length);
    }

    [Fact]
    public async Task LoginAsync_FourClientsSigningIn_KeepsTheThreeNewest()
    {
        var secrets = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            secrets.Add((await LoginAsync(Step1("uuid-" + i))).Challenge!.Secret);
            _host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var oldest = await LoginAsync(Step2(secrets[0], "uuid-0"));
        var newest = await LoginAsync(Step2(secrets[3], "uuid-3"));

        Assert.Equal(ClientLoginStatus.WrongCode, oldest.Status);
        Assert.Equal(ClientLoginStatus.SignedIn, newest.Status);
        Assert.Equal(0, (await _host.FindUserAsync("jane"))!.ConsecutiveFailures);
    }

    [Fact]
    public async Task LoginAsync_SameClientSigningInAgain_ReplacesItsEarlierSignIn()
    {
        var first = (await LoginAsync(Step1())).Challenge!.Secret;
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var second = (await LoginAsync(Step1())).Challenge!.Secret;

        Assert.Equal(ClientLoginStatus.WrongCode, (await LoginAsync(Step2(first))).Status);
        Assert.Equal(ClientLoginStatus.SignedIn, (await LoginAsync(Step2(second))).Status);
    }

    [Fact]
    public async Task LoginAsync_Success_IsAuditedWithTheClientDeviceAndAddress()
    {
        var secret = (await LoginAsync(Step1())).Challenge!.Secret;

        await LoginAsync(Step2(secret));

        var events = await AuditAsync(_host.Services);
        var signIn = Assert.Single(events, e => e.Kind == RustDesk.Core.Audit.AuditKinds.SignInSucceeded);
        Assert.Equal("192.0.2.7", signIn.IpAddress);
        Assert.Equal("RustDesk client on Linux, id 123456789", signIn.UserAgent);
        Assert.Equal("RustDesk client: TOTP", signIn.Detail);
        // Rendered through a key, so that the console shows it in the reader's language.
        Assert.Equal(("client-sign-in", RustDesk.Core.Audit.SignInMethods.Totp), (signIn.DetailKey, Assert.Single(signIn.DetailArguments())));
    }

    [Fact]
    public async Task LoginAsync_WrongPassword_IsAuditedAsAFailureWithTheClientDevice()
    {
        await LoginAsync(Step1() with { Password = "wrong-password-1" });

        var failure = Assert.Single(await AuditAsync(_host.Services), e => e.Kind == RustDesk.Core.Audit.AuditKinds.SignInFailed);
        Assert.Equal("RustDesk client on Linux, id 123456789", failure.UserAgent);
    }

    [Fact]
    public async Task LoginAsync_WrongCode_IsAuditedWithTheCodeRequestsOwnAddressAndClient()
    {
        var secret = (await LoginAsync(Step1())).Challenge!.Secret;
        var wrong = Step2(secret, code: "000000") with { DeviceInfo = new ClientDeviceInfo("windows", "client", "laptop") };

        var result = await _host.WithAsync<ClientLoginService, ClientLoginResult>(s => s.LoginAsync(wrong, "198.51.100.99"));

        Assert.Equal(ClientLoginStatus.WrongCode, result.Status);
        var failure = Assert.Single(await AuditAsync(_host.Services), e => e.Kind == RustDesk.Core.Audit.AuditKinds.SignInFailed);
        Assert.Equal(_jane.Id, failure.TargetUserId);
        Assert.Equal("198.51.100.99", failure.IpAddress);
        Assert.Equal("RustDesk client on Windows, id 123456789", failure.UserAgent);
    }

    [Fact]
    public async Task LoginAsync_FirstSignInFromAClient_NotifiesANewDeviceOnce()
    {
        async Task<int> NotificationsAsync() => await _host.WithAsync<RustDesk.Core.Data.ConsoleDbContext, int>(db =>
            Task.FromResult(db.OutboxMessages.Count(m => m.To == "jane@example.com" && m.Category == RustDesk.Core.Notifications.SecurityNotifier.Category)));

        await LoginAsync(Step2((await LoginAsync(Step1())).Challenge!.Secret));
        var afterFirst = await NotificationsAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        await LoginAsync(Step2((await LoginAsync(Step1())).Challenge!.Secret));

        Assert.Equal(1, afterFirst);
        Assert.Equal(1, await NotificationsAsync());
    }

    [Fact]
    public async Task LoginAsync_TokenFromTheLogin_AuthenticatesUntilTheAbsoluteLifetime()
    {
        var token = (await LoginAsync(Step2((await LoginAsync(Step1())).Challenge!.Secret))).SignedIn!.AccessToken;
        Task<ConsoleUser?> AuthenticateAsync() => _host.WithAsync<ClientTokenService, ConsoleUser?>(t => t.AuthenticateAsync(token));

        var fresh = await AuthenticateAsync();
        for (var day = 0; day < 29; day++)
        {
            _host.Time.Advance(TimeSpan.FromDays(1));
            Assert.NotNull(await AuthenticateAsync()); // activity slides the end
        }
        _host.Time.Advance(TimeSpan.FromDays(1).Add(TimeSpan.FromMinutes(1)));

        Assert.Equal(_jane.Id, fresh!.Id);
        Assert.Null(await AuthenticateAsync());
    }

    [Fact]
    public async Task DecideAsync_FollowsTheConsolesSecondFactorAndRefusesWhatTheClientCannotDo()
    {
        var bob = await _host.CreateUserAsync("bob", Password, email: "bob@example.com");
        async Task<ClientChallengeKind> DecideAsync(string userName) =>
            (await _host.WithAsync<ClientSecondFactorPolicy, ClientChallenge>(async p => await p.DecideAsync((await _host.FindUserAsync(userName))!))).Kind;

        var none = await DecideAsync("bob");
        await _host.WithAsync<RustDesk.Core.Data.ConsoleDbContext, int>(async db =>
        {
            var user = db.Users.Single(u => u.Id == bob.Id);
            user.EmailLoginVerification = true;
            return await db.SaveChangesAsync();
        });
        var email = await DecideAsync("bob");
        await _host.WithAsync<RustDesk.Core.Data.ConsoleDbContext, int>(async db =>
        {
            var user = db.Users.Single(u => u.Id == bob.Id);
            user.TwoFactorEnforced = true;
            return await db.SaveChangesAsync();
        });
        var enroll = await DecideAsync("bob");

        Assert.Equal(ClientChallengeKind.None, none);
        Assert.Equal(ClientChallengeKind.Email, email);
        Assert.Equal(ClientChallengeKind.Refused, enroll);
        Assert.Equal(ClientChallengeKind.Totp, await DecideAsync("jane"));
    }

    [Fact]
    public async Task LoginAsync_PasskeyIsTheOnlySecondFactor_IsRefusedWithWhatToDoAndStartsNothing()
    {
        var kim = await _host.CreateUserAsync("kim", Password, email: "kim@example.com");
        await _host.WithAsync<RustDesk.Core.Data.ConsoleDbContext, int>(async db =>
        {
            db.Users.Single(u => u.Id == kim.Id).EmailLoginVerification = true;
            db.PasskeyCredentials.Add(new RustDesk.Core.Passkeys.PasskeyCredential
            {
                UserId = kim.Id, CredentialId = [1, 2, 3, 4], PublicKey = [5, 6], UserHandle = [7], Name = "laptop",
                CreatedAt = _host.Time.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });

        var result = await LoginAsync(Step1() with { Username = "kim" });

        Assert.Equal(ClientApiMessages.PasskeyOnly, result.Error);
        Assert.Null(result.Challenge);
        Assert.Equal(0, await _host.WithAsync<RustDesk.Core.Data.ConsoleDbContext, int>(db =>
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.PendingSignIns, p => p.UserId == kim.Id)));
    }
}
