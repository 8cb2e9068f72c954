using Microsoft.EntityFrameworkCore;
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
/// the password change, creating a user, accepting an invitation, the command line's set-password.
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
        var (invited, _) = await _env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(_adminId, _session.SessionId, "margarethe", "margarethe.huber@example.com", Roles.User));
        Assert.Equal(StaffResult.Done, invited);
        await _env.DeliverAsync();
        var mail = await _env.Smtp.WaitForMessageAsync(m => m.To.ToString().Contains("margarethe"));
        var token = Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"token=(\S+)").Groups[1].Value);

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
        var result = await _env.Host.WithAsync<Microsoft.AspNetCore.Identity.UserManager<ConsoleUser>, Microsoft.AspNetCore.Identity.IdentityResult>(
            async users => await users.CreateAsync(new ConsoleUser { UserName = "sneaky" }, "qwertyuiop"));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "Password" + PasswordProblem.TooWeak);
        Assert.False(await _env.Host.WithAsync<ConsoleDbContext, bool>(db => db.Users.AnyAsync(u => u.UserName == "sneaky")));
    }
}
