using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Security;
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
        _env = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://console.example" });
        var admin = await _env.Host.FindUserAsync("admin");
        _adminId = admin!.Id;
        var (key, _) = await EnableAsync(_env.Host, _adminId);
        _session = await _env.Host.VerifiedSessionAsync("admin", CodeAt(key, _env.Host));
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private async Task<string> InviteAndReadTokenAsync(string userName, string email)
    {
        var (result, _) = await _env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(_adminId, _session.SessionId, userName, email, Roles.User));
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

        var first = await AcceptAsync(token, "a lantern for the zebra");
        var second = await AcceptAsync(token, "another lantern for a zebra");

        Assert.Equal(InvitationStatus.Accepted, first);
        Assert.Equal(InvitationStatus.Invalid, second);
        var check = await _env.Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("newbie", "a lantern for the zebra"));
        Assert.Equal(PasswordCheckStatus.Succeeded, check.Status);
    }

    [Fact]
    public async Task Accept_IsAuditedWithTheIpAddressAndBrowserOfThePage()
    {
        const string firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
        var token = await InviteAndReadTokenAsync("arriving", "arriving@example.com");

        var status = await _env.Host.WithAsync<InvitationService, InvitationStatus>(s => s.AcceptAsync(token,
            "a lantern for the zebra", "a lantern for the zebra", new RustDesk.Core.Notifications.EventOrigin("203.0.113.44", firefox)));

        Assert.Equal(InvitationStatus.Accepted, status);
        var accepted = Assert.Single(await RustDesk.Tests.Core.Authentication.SignInTestHelpers.AuditAsync(_env.Host.Services),
            e => e.Kind == RustDesk.Core.Audit.AuditKinds.InvitationAccepted);
        Assert.Equal("arriving", accepted.ActorName);
        Assert.Equal("203.0.113.44", accepted.IpAddress);
        Assert.Equal(firefox, accepted.UserAgent);
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
            s => s.InviteAsync(support.Id, session.SessionId, "sneaky", "sneaky@example.com", Roles.Administrator));

        Assert.Equal(StaffResult.Forbidden, result);
        Assert.Null(await _env.Host.FindUserAsync("sneaky"));
    }

    [Fact]
    public async Task Invite_WithoutPublicBaseUrl_IsRefusedAndCreatesNothing()
    {
        await using var env = await EmailTestHost.StartAsync();
        var admin = (await env.Host.FindUserAsync("admin"))!;
        var (key, _) = await EnableAsync(env.Host, admin.Id);
        var session = await env.Host.VerifiedSessionAsync("admin", CodeAt(key, env.Host));

        var canInvite = await env.Host.WithAsync<InvitationService, bool>(s => Task.FromResult(s.CanInvite));
        var (result, id) = await env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(admin.Id, session.SessionId, "nobase", "nobase@example.com", Roles.User));

        Assert.False(canInvite);
        Assert.Equal(StaffResult.PublicBaseUrlMissing, result);
        Assert.Null(id);
        Assert.Null(await env.Host.FindUserAsync("nobase"));
        Assert.Equal(0, await env.DeliverAsync());
    }

    [Fact]
    public async Task Invite_PublicBaseUrlWithAPath_LinkKeepsThePath()
    {
        await using var env = await EmailTestHost.StartAsync(new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://example.com/rustdesk" });
        var admin = (await env.Host.FindUserAsync("admin"))!;
        var (key, _) = await EnableAsync(env.Host, admin.Id);
        var session = await env.Host.VerifiedSessionAsync("admin", CodeAt(key, env.Host));

        await env.Host.WithAsync<InvitationService, StaffActionResult>(
            s => s.InviteAsync(admin.Id, session.SessionId, "pathy", "pathy@example.com", Roles.User));
        await env.DeliverAsync();
        var mail = await env.Smtp.WaitForMessageAsync(m => m.To.ToString().Contains("pathy@example.com"));

        Assert.Matches(@"https://example\.com/rustdesk/account/invitation\?token=\S+", mail.TextBody);
    }

    [Theory]
    [InlineData("console.example.com")]
    [InlineData("ftp://console.example.com")]
    [InlineData("https://console.example.com/?next=evil")]
    [InlineData("https://user:pass@console.example.com")]
    [InlineData("/relative/path")]
    public async Task PublicBaseUrl_NotAnAbsoluteHttpUrl_StopsStartUpNamingTheKey(string value)
    {
        await using var host = new CoreHost(new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<PublicUrlOptions>>().Value);

        Assert.Contains("Console:PublicBaseUrl", error.Message, StringComparison.Ordinal);
    }
}
