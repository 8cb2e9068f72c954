using System.Text.RegularExpressions;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Authentication;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Administration;

public sealed class InvitationTests : IAsyncLifetime
{
    private EmailTestHost _env = default!;
    private string _adminId = "";
    private StoredSession _session = default!;

    public async Task InitializeAsync()
    {
        _env = await EmailTestHost.StartAsync();
        var admin = await _env.Host.FindUserAsync("admin");
        _adminId = admin!.Id;
        var (key, _) = await EnableAsync(_env.Host, _adminId);
        _session = await _env.Host.VerifiedSessionAsync("admin", CodeAt(key, _env.Host));
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private async Task<string> InviteAndReadTokenAsync(string userName, string email)
    {
        var (result, _) = await _env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(_adminId, _session.SessionId, userName, email, Roles.User, "https://console.example/"));
        Assert.Equal(StaffResult.Done, result);
        await _env.DeliverAsync();
        var mail = await _env.Smtp.WaitForMessageAsync(m => m.To.ToString().Contains(email));
        var link = Regex.Match(mail.TextBody ?? "", @"https://console\.example/account/invitation\?token=(\S+)");
        Assert.True(link.Success, mail.TextBody);
        return Uri.UnescapeDataString(link.Groups[1].Value);
    }

    private Task<InvitationStatus> AcceptAsync(string? token, string password, string? confirm = null) =>
        _env.Host.WithAsync<InvitationService, InvitationStatus>(s => s.AcceptAsync(token, password, confirm ?? password));

    [Fact]
    public async Task Invitation_LinkSetsThePasswordOnce()
    {
        var token = await InviteAndReadTokenAsync("newbie", "newbie@example.com");

        var first = await AcceptAsync(token, "newbie's first password");
        var second = await AcceptAsync(token, "another password here");

        Assert.Equal(InvitationStatus.Accepted, first);
        Assert.Equal(InvitationStatus.Invalid, second);
        var check = await _env.Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("newbie", "newbie's first password"));
        Assert.Equal(PasswordCheckStatus.Succeeded, check.Status);
    }

    [Fact]
    public async Task Invitation_AfterThreeDays_HasExpired()
    {
        var token = await InviteAndReadTokenAsync("late", "late@example.com");

        _env.Host.Time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(InvitationStatus.Invalid, await AcceptAsync(token, "a good long password"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forged-token")]
    public async Task Accept_ForgedToken_IsInvalid(string? token)
    {
        await InviteAndReadTokenAsync("someone", "someone@example.com");

        Assert.Equal(InvitationStatus.Invalid, await AcceptAsync(token, "a good long password"));
    }

    [Fact]
    public async Task Accept_BadPasswords_AreRefusedAndTheLinkStillWorks()
    {
        var token = await InviteAndReadTokenAsync("careful", "careful@example.com");

        Assert.Equal(InvitationStatus.PasswordRejected, await AcceptAsync(token, "short"));
        Assert.Equal(InvitationStatus.PasswordMismatch, await AcceptAsync(token, "a good long password", "a different password"));
        Assert.Equal(InvitationStatus.Accepted, await AcceptAsync(token, "a good long password"));
    }

    [Fact]
    public async Task Invite_BySupport_IsForbiddenAndCreatesNoUser()
    {
        var support = await _env.Host.CreateUserAsync("support", "support password 1", Roles.Support);
        var (key, _) = await EnableAsync(_env.Host, support.Id);
        var session = await _env.Host.VerifiedSessionAsync("support", CodeAt(key, _env.Host));

        var (result, _) = await _env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(support.Id, session.SessionId, "sneaky", "sneaky@example.com", Roles.Administrator, "https://console.example/"));

        Assert.Equal(StaffResult.Forbidden, result);
        Assert.Null(await _env.Host.FindUserAsync("sneaky"));
    }
}
