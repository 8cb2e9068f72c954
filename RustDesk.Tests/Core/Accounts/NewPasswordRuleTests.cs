using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Administration;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.Recovery;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Accounts;

/// <summary>
/// Every place a new password is set refuses common and context-derived passwords in Core (NIST 800-63B §5.1.1.2):
/// the password change, creating a user, accepting an invitation, the command line's set-password — each rating the
/// password once (<see cref="PasswordRating"/>).
/// </summary>
public sealed class NewPasswordRuleTests : IAsyncLifetime
{
    private EmailTestHost _env = default!;
    private string _adminId = "";
    private StoredSession _session = default!;

    public async Task InitializeAsync()
    {
        _env = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://console.example" });
        _adminId = (await _env.Host.FindUserAsync("admin"))!.Id;
        var (key, _) = await EnableAsync(_env.Host, _adminId);
        _session = await _env.Host.VerifiedSessionAsync("admin", CodeAt(key, _env.Host));
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    /// <summary>The password change from a page of the user's own session (2FA off: the current password is the proof).</summary>
    private async Task<SettingsError> ChangePasswordAsync(string userName, string current, string password)
    {
        var session = await _env.Host.StoreSessionAsync(userName);
        return (await _env.Host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(session.UserId, session.SessionId, current, password, password))).Error;
    }

    private Task<PasswordCheckStatus> SignInAsync(string userName, string password) =>
        _env.Host.WithAsync<PasswordSignInService, PasswordCheckStatus>(async s => (await s.CheckAsync(userName, password)).Status);

    /// <summary>Invites margarethe and returns the token from the mailed link.</summary>
    private async Task<string> InviteMargaretheAsync()
    {
        var (invited, _) = await _env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(_adminId, _session.SessionId, "margarethe", "margarethe.huber@example.com", Roles.User));
        Assert.Equal(StaffResult.Done, invited);
        await _env.DeliverAsync();
        var mail = await _env.Smtp.WaitForMessageAsync(m => m.To.ToString().Contains("margarethe"));
        return Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"token=(\S+)").Groups[1].Value);
    }

    // Rated once per call (PasswordRating): the service's up-front check and Identity's validator share one rating,
    // which the validator trusts only for the very password and user it was made for, and only while the call lasts.
    // Ratings are counted by PasswordRating's debug entry.

    private const string Strong = "zebra lantern quietly";

    private int Ratings => _env.Host.Logs.Entries.Count(e => e.Category == typeof(PasswordRating).FullName);

    private async Task<int> RatingsDuringAsync(Func<Task> action)
    {
        var before = Ratings;
        await action();
        return Ratings - before;
    }


    [Theory]
    [InlineData("password123")]
    [InlineData("qwertyuiop")]
    [InlineData("Administrator2026")]
    public async Task ChangePassword_WeakNewPassword_IsRefusedAndChangesNothing(string weak)
    {
        var user = await _env.Host.CreateUserAsync("jonathan.kowalski", "Tall-Cactus-Mirror-2026", email: "jonathan.kowalski@example.com");

        var result = await ChangePasswordAsync(user.UserName!, "Tall-Cactus-Mirror-2026", weak);

        Assert.Equal(SettingsError.PasswordTooWeak, result);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("jonathan.kowalski", "Tall-Cactus-Mirror-2026"));
    }

    [Fact]
    public async Task ChangePassword_TheUsersOwnName_IsRefused()
    {
        var user = await _env.Host.CreateUserAsync("jonathan.kowalski", "Tall-Cactus-Mirror-2026", email: "jonathan.kowalski@example.com");

        var result = await ChangePasswordAsync(user.UserName!, "Tall-Cactus-Mirror-2026", "kowalski-jonathan-77");

        Assert.Equal(SettingsError.PasswordTooWeak, result);
    }

    [Fact]
    public async Task ChangePassword_LongPassphrase_IsAccepted()
    {
        var user = await _env.Host.CreateUserAsync("jonathan.kowalski", "Tall-Cactus-Mirror-2026");

        var result = await ChangePasswordAsync(user.UserName!, "Tall-Cactus-Mirror-2026", "correct horse battery staple");

        Assert.Equal(SettingsError.None, result);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("jonathan.kowalski", "correct horse battery staple"));
    }

    [Theory]
    [InlineData("password123")]
    [InlineData("newcomer2026")]
    public async Task CreateUser_WeakInitialPassword_IsRefusedAndCreatesNoUser(string weak)
    {
        var (result, id) = await _env.Host.WithAsync<UserAdministrationService, StaffActionResult>(
            s => s.CreateUserAsync(_adminId, _session.SessionId, "newcomer", "newcomer@example.com", weak, Roles.User));

        Assert.Equal(StaffResult.PasswordTooWeak, result);
        Assert.Null(id);
        Assert.Null(await _env.Host.FindUserAsync("newcomer"));
    }

    [Fact]
    public async Task AcceptInvitation_WeakPassword_IsRefusedAndTheLinkStillWorks()
    {
        var token = await InviteMargaretheAsync();

        var common = await _env.Host.WithAsync<InvitationService, InvitationStatus>(s => s.AcceptAsync(token, "iloveyou!!", "iloveyou!!"));
        var ownName = await _env.Host.WithAsync<InvitationService, InvitationStatus>(s => s.AcceptAsync(token, "Huber-Margarethe-1", "Huber-Margarethe-1"));
        var good = await _env.Host.WithAsync<InvitationService, InvitationStatus>(s => s.AcceptAsync(token, "zebra lantern quietly", "zebra lantern quietly"));

        Assert.Equal(InvitationStatus.PasswordTooWeak, common);
        Assert.Equal(InvitationStatus.PasswordTooWeak, ownName);
        Assert.Equal(InvitationStatus.Accepted, good);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("margarethe", "zebra lantern quietly"));
    }

    [Fact]
    public async Task SetPasswordFromCommandLine_WeakPassword_IsRefused()
    {
        var result = await _env.Host.WithAsync<RecoveryService, RecoveryResult>(s => s.SetPasswordAsync("admin", "rustdesk2024"));

        Assert.Equal(RecoveryStatus.PasswordRejected, result.Status);
        Assert.Equal(nameof(PasswordProblem.TooWeak), result.Detail);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("admin", CoreHost.AdminPassword));
    }

    [Fact]
    public async Task IdentityValidator_WeakPassword_IsRefusedWhicheverPathSetsIt()
    {
        // The backstop: a service that forgot the rule would still be refused by Identity.
        var result = await _env.Host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(
            async users => await users.CreateAsync(new ConsoleUser { UserName = "sneaky" }, "qwertyuiop"));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "Password" + PasswordProblem.TooWeak);
        Assert.False(await _env.Host.WithAsync<ConsoleDbContext, bool>(db => db.Users.AnyAsync(u => u.UserName == "sneaky")));
    }

    [Fact]
    public async Task ChangePassword_RatesTheNewPasswordOnce()
    {
        var user = await _env.Host.CreateUserAsync("jonathan.kowalski", "Tall-Cactus-Mirror-2026", email: "jonathan.kowalski@example.com");
        var session = await _env.Host.StoreSessionAsync(user.UserName!);
        SettingsResult result = default!;

        var ratings = await RatingsDuringAsync(async () => result = await _env.Host.WithAsync<AccountSettingsService, SettingsResult>(
            s => s.ChangePasswordAsync(user.Id, session.SessionId, "Tall-Cactus-Mirror-2026", Strong, Strong)));

        Assert.Equal(SettingsError.None, result.Error);
        Assert.Equal(1, ratings);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("jonathan.kowalski", Strong));
    }

    [Fact]
    public async Task CreateUser_RatesTheInitialPasswordOnce()
    {
        StaffActionResult result = default!;

        var ratings = await RatingsDuringAsync(async () => result = await _env.Host.WithAsync<UserAdministrationService, StaffActionResult>(
            s => s.CreateUserAsync(_adminId, _session.SessionId, "newcomer", "newcomer@example.com", Strong, Roles.User)));

        Assert.Equal(StaffResult.Done, result.Result);
        Assert.Equal(1, ratings);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("newcomer", Strong));
    }

    [Fact]
    public async Task AcceptInvitation_RatesThePasswordOnce()
    {
        var token = await InviteMargaretheAsync();
        var status = InvitationStatus.Invalid;

        var ratings = await RatingsDuringAsync(async () => status = await _env.Host.WithAsync<InvitationService, InvitationStatus>(
            s => s.AcceptAsync(token, Strong, Strong)));

        Assert.Equal(InvitationStatus.Accepted, status);
        Assert.Equal(1, ratings);
        Assert.Equal(PasswordCheckStatus.Succeeded, await SignInAsync("margarethe", Strong));
    }

    [Fact]
    public async Task SetPasswordFromCommandLine_RatesThePasswordOnce()
    {
        RecoveryResult result = default!;

        var ratings = await RatingsDuringAsync(async () => result = await _env.Host.WithAsync<RecoveryService, RecoveryResult>(
            s => s.SetPasswordAsync("admin", Strong)));

        Assert.Equal(RecoveryStatus.Done, result.Status);
        Assert.Equal(1, ratings);
    }

    [Fact]
    public async Task Validator_ARatingOfAnotherPassword_IsNotTrusted()
    {
        await using var scope = _env.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = "sneaky", Email = "sneaky@example.com" };

        // A strong password was rated in this call; Identity is then asked to set a common one.
        using var rated = scope.ServiceProvider.GetRequiredService<PasswordRating>().Rate(Strong, user);
        var result = await users.CreateAsync(user, "qwertyuiop");

        Assert.Null(rated.Problem);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "Password" + PasswordProblem.TooWeak);
        Assert.False(await _env.Host.WithAsync<ConsoleDbContext, bool>(db => db.Users.AnyAsync(u => u.UserName == "sneaky")));
    }

    [Fact]
    public async Task Validator_ARatingForAnotherUser_IsNotTrusted()
    {
        await using var scope = _env.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        const string ownName = "kowalski-jonathan-77";

        // Acceptable for alice, but built from jonathan.kowalski's own name: for him the rating must not carry over.
        using var rated = scope.ServiceProvider.GetRequiredService<PasswordRating>().Rate(ownName, new ConsoleUser { UserName = "alice" });
        var result = await users.CreateAsync(new ConsoleUser { UserName = "jonathan.kowalski" }, ownName);

        Assert.Null(rated.Problem);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "Password" + PasswordProblem.TooWeak);
    }

    [Fact]
    public async Task Validator_AfterTheRatingIsDisposed_RatesAgain()
    {
        await using var scope = _env.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = "latecomer" };
        scope.ServiceProvider.GetRequiredService<PasswordRating>().Rate(Strong, user).Dispose();
        IdentityResult result = default!;

        var ratings = await RatingsDuringAsync(async () => result = await users.CreateAsync(user, Strong));

        Assert.True(result.Succeeded);
        Assert.Equal(1, ratings);
    }

    [Fact]
    public void Rating_LogsTheVerdictButNeverThePassword()
    {
        using var scope = _env.Host.Services.CreateScope();
        var before = Ratings;

        using (scope.ServiceProvider.GetRequiredService<PasswordRating>().Rate("qwertyuiop", new ConsoleUser { UserName = "x" }))
        {
        }

        var entry = Assert.Single(_env.Host.Logs.Entries.Where(e => e.Category == typeof(PasswordRating).FullName).Skip(before));
        Assert.Contains(nameof(PasswordProblem.TooWeak), entry.Message);
        Assert.DoesNotContain("qwertyuiop", _env.Host.Logs.AllText);
    }
}
