using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Administration;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Core.Authentication.SignInTestHelpers;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Core.Audit;

/// <summary>
/// "Who, from where, with what": every failed step names the step and carries the IP address and browser it came from,
/// the email change too, details are structured for the console to render, mails name the real origin, and a user's
/// recent activity is what happened to their account.
/// </summary>
public sealed class AuditOriginTests : IAsyncLifetime
{
    private const string Password = "origin password 12";
    private const string Ip = "198.51.100.23";
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36";
    private EmailTestHost _env = default!;

    private CoreHost Host => _env.Host;

    public async Task InitializeAsync() => _env = await EmailTestHost.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private Task<List<AuditEvent>> EventsAsync() =>
        Host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    /// <summary>A session signed in from <see cref="Ip"/> with <see cref="Browser"/> (as ConsoleSignIn records it).</summary>
    private async Task<StoredSession> SessionFromAsync(StoredSession session)
    {
        await Host.WithAsync<ConsoleDbContext, int>(db => db.Sessions.Where(s => s.Id == session.SessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IpAddress, Ip).SetProperty(s => s.UserAgent, Browser)));
        return session;
    }

    [Fact]
    public async Task SecondStep_WrongTotpAndWrongBackupCode_NameTheirStepWithIpAndBrowser()
    {
        await Host.CreateUserAsync("jane", Password);
        var jane = await UserAsync(Host.Services, "jane");
        var (key, _) = await SeedTotpAsync(Host.Services, jane.Id);
        var start = await Host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(jane, false, Ip, Browser));

        await Host.WithAsync<SecondFactorSignInService, SecondStepResult>(s => s.VerifyAsync(start.PendingKey, WrongTotpCode(key, Host.Time.GetUtcNow())));
        await Host.WithAsync<SecondFactorSignInService, SecondStepResult>(s => s.VerifyAsync(start.PendingKey, "0000000000"));

        var failures = (await EventsAsync()).Where(e => e.Kind == AuditKinds.SignInFailed).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.Equal((Ip, Browser, jane.Id, "step-failed"), (e.IpAddress, e.UserAgent, e.TargetUserId, e.DetailKey)));
        Assert.Equal(["TOTP step", "backup-code step"], failures.Select(e => e.DetailArguments()[0]));
        Assert.Equal(["TOTP step", AuditDetails.UnknownClientsBudget], failures[0].DetailArguments());
    }

    [Fact]
    public async Task EmailStep_WrongCode_NamesTheStepWithIpAndBrowser()
    {
        var max = await _env.CreateVerifiedUserAsync("max", Password, "max@example.com");
        var start = await Host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(max, false, Ip, Browser));
        var code = await _env.DeliverAndReadCodeAsync("max@example.com");
        var wrong = code == "123456" ? "654321" : "123456";

        await Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.VerifyAsync(start.PendingKey, wrong));

        var failure = Assert.Single(await EventsAsync(), e => e.Kind == AuditKinds.SignInFailed);
        Assert.Equal((Ip, Browser, "emailed-code step"), (failure.IpAddress, failure.UserAgent, failure.DetailArguments()[0]));
    }

    [Fact]
    public async Task AddressChange_CodeMailWrongCodeAndConfirmation_CarryTheSessionsIpAndBrowser()
    {
        var user = await Host.CreateUserAsync("max", Password, email: "max@example.com");
        var session = await SessionFromAsync(await Host.VerifiedSessionAsync("max", Password));

        // The page has no request of its own: it passes no address, and the service takes the session's.
        var submitted = await Host.WithAsync<BasicSettingsService, AddressChangeResult>(
            s => s.SaveAsync(user.Id, session.SessionId, "max.new@example.com", true, false));
        Assert.Equal(AddressChangeStatus.CodeSent, submitted.Status);
        var code = await _env.DeliverAndReadCodeAsync("max.new@example.com");
        var mail = _env.Smtp.Messages.Last(m => m.To.Mailboxes.Any(b => b.Address == "max.new@example.com")).TextBody;
        Assert.Contains(Ip, mail, StringComparison.Ordinal);
        Assert.Contains("Chrome", mail, StringComparison.Ordinal);

        var wrong = await Host.WithAsync<BasicSettingsService, AddressChangeResult>(
            s => s.ConfirmAddressAsync(user.Id, session.SessionId, code == "123456" ? "654321" : "123456"));
        var confirmed = await Host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.ConfirmAddressAsync(user.Id, session.SessionId, code));

        Assert.Equal((AddressChangeStatus.WrongCode, AddressChangeStatus.Confirmed), (wrong.Status, confirmed.Status));
        var events = await EventsAsync();
        var failed = Assert.Single(events, e => e.Kind == AuditKinds.AddressCodeFailed);
        var changed = Assert.Single(events, e => e.Kind == AuditKinds.SettingsChanged);
        Assert.All([failed, changed], e => Assert.Equal((Ip, Browser, user.Id), (e.IpAddress, e.UserAgent, e.TargetUserId)));
        Assert.Equal(("address-code-failed", "address-confirmed"), (failed.DetailKey, changed.DetailKey));
        Assert.DoesNotContain(code, string.Join("|", events.Select(e => e.Detail + e.DetailArgs)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BasicSettings_Saved_StoresAStructuredDetailWithTheSessionsOrigin()
    {
        var user = await Host.CreateUserAsync("max", Password, email: "max@example.com");
        var session = await SessionFromAsync(await Host.VerifiedSessionAsync("max", Password));

        await Host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.SaveAsync(user.Id, session.SessionId, "max@example.com", false, true));

        var changed = Assert.Single(await EventsAsync(), e => e.Kind == AuditKinds.SettingsChanged);
        Assert.Equal(("basic-settings", Ip), (changed.DetailKey, changed.IpAddress));
        Assert.Equal(["unchanged", "off", "on"], changed.DetailArguments());
    }

    [Fact]
    public async Task StaffResetsTwoFactor_MailNamesTheStaffOrigin_AndTheTrailNamesTheStaffMember()
    {
        var admin = await Host.CreateUserAsync("admin.one", Password, Roles.Administrator);
        var (key, _) = await EnableAsync(Host, admin.Id);
        var adminSession = await SessionFromAsync(await Host.VerifiedSessionAsync("admin.one", CodeAt(key, Host)));
        var target = await Host.CreateUserAsync("target", Password, email: "target@example.com");
        await EnableAsync(Host, target.Id);
        await _env.DeliverAsync();
        var mailsBefore = _env.CountTo("target@example.com");
        var before = (await EventsAsync()).Count;

        var result = await Host.WithAsync<UserAdministrationService, StaffActionResult>(s => s.ResetTwoFactorAsync(admin.Id, adminSession.SessionId, target.Id));

        Assert.Equal(StaffResult.Done, result.Result);
        var rows = (await EventsAsync()).Skip(before).ToList();
        var reset = Assert.Single(rows, e => e.TargetUserId == target.Id);
        Assert.Equal((AuditKinds.StaffResetTwoFactor, admin.Id, Ip, Browser), (reset.Kind, reset.ActorUserId, reset.IpAddress, reset.UserAgent));
        // Queued bodies are encrypted at rest: read the mail as delivered.
        await _env.DeliverAsync();
        await _env.Smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == "target@example.com") && _env.CountTo("target@example.com") > mailsBefore);
        var mail = _env.Smtp.Messages.Last(m => m.To.Mailboxes.Any(b => b.Address == "target@example.com")).TextBody ?? "";
        Assert.Contains(Ip, mail, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", mail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RecentAsync_StaffActingOnOthers_ListsItForTheTargetNotForTheStaffMember()
    {
        var admin = await Host.CreateUserAsync("admin.one", Password, Roles.Administrator);
        var (key, _) = await EnableAsync(Host, admin.Id);
        var adminSession = await Host.VerifiedSessionAsync("admin.one", CodeAt(key, Host));
        var target = await Host.CreateUserAsync("target", Password);
        await Host.WithAsync<UserAdministrationService, StaffActionResult>(s => s.ForceLogoutAsync(admin.Id, adminSession.SessionId, target.Id));
        var targetSession = await Host.StoreSessionAsync("target");

        var adminsOwn = await Host.WithAsync<AuditLog, IReadOnlyList<AuditEvent>>(l => l.RecentAsync(admin.Id, adminSession.SessionId, 50));
        var targets = await Host.WithAsync<AuditLog, IReadOnlyList<AuditEvent>>(l => l.RecentAsync(target.Id, targetSession.SessionId, 50));

        Assert.DoesNotContain(adminsOwn, e => e.Kind == AuditKinds.StaffForceLogout);
        Assert.Contains(adminsOwn, e => e.Kind == AuditKinds.ReVerified);
        Assert.Contains(targets, e => e.Kind == AuditKinds.StaffForceLogout && e.ActorUserId == admin.Id);
    }
}
