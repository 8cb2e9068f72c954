using Bunit;
using RustDesk.Core.Audit;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;

namespace RustDesk.Tests.Web.Components.Settings;

/// <summary>The Security tab's "Recent activity": the signed-in user's own events, and nobody else's.</summary>
public sealed class RecentActivityTests : ConsoleComponentTest
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    [Fact]
    public async Task SecurityTab_EventsOfSeveralUsers_ShowsOnlyTheUsersOwnNewestFirst()
    {
        using var culture = InEnglish();
        var jane = await Host.CreateUserAsync("jane.doe", Password);
        var bob = await Host.CreateUserAsync("bob", Password);
        await AppendAsync(AuditKinds.SignInSucceeded, jane.Id, "jane.doe", jane.Id, "jane.doe", ip: "192.168.1.5", userAgent: Firefox);
        await AppendAsync(AuditKinds.SignInSucceeded, bob.Id, "bob", bob.Id, "bob", ip: "10.9.9.9");
        // Jane as staff acting on Bob: Bob's account, not hers.
        await AppendAsync(AuditKinds.StaffForceLogout, jane.Id, "jane.doe", bob.Id, "bob", ip: "10.8.8.8");
        await AppendAsync(AuditKinds.RecoveryResetTwoFactor, null, AuditLog.CommandLineActor, jane.Id, "jane.doe");
        await AppendAsync(AuditKinds.TwoFactorEnabled, bob.Id, "bob", bob.Id, "bob");

        var session = await Host.StoreSessionAsync("jane.doe");
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, jane.Id).Add(c => c.SessionId, session.SessionId));

        cut.WaitForAssertion(() => Assert.Equal("loaded", cut.Find("[data-testid='recent-activity']").GetAttribute("data-state")));
        var rows = cut.FindAll("[data-testid='recent-activity-row']");
        Assert.Equal([AuditKinds.RecoveryResetTwoFactor, AuditKinds.SignInSucceeded], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Contains("Signed in", rows[1].TextContent);
        Assert.Contains("192.168.1.5", rows[1].TextContent);
        Assert.Contains("Firefox on Linux", rows[1].TextContent);
        Assert.DoesNotContain("10.9.9.9", cut.Find("[data-testid='recent-activity']").TextContent);
        Assert.DoesNotContain("10.8.8.8", cut.Find("[data-testid='recent-activity']").TextContent);
    }

    [Theory]
    [InlineData("en", "Wrong TOTP code (limit: unknown browsers)", "Signed in", "With password and backup code")]
    [InlineData("de", "TOTP-Code falsch (Limit: unbekannte Browser)", "Angemeldet", "Mit Passwort und Backup-Code")]
    public async Task SecurityTab_StructuredDetails_ReadAsTextInTheUsersLanguage(string language, string failed, string signedIn, string method)
    {
        using var culture = In(language);
        var jane = await Host.CreateUserAsync("jane.doe", Password);
        await Host.WithAsync<AuditLog, bool>(async log =>
        {
            await log.AppendAsync(AuditKinds.SignInFailed, jane.Id, "jane.doe", jane.Id, "jane.doe",
                AuditDetails.StepFailed("TOTP step", AuditDetails.UnknownClientsBudget));
            await log.AppendAsync(AuditKinds.SignInSucceeded, jane.Id, "jane.doe", jane.Id, "jane.doe", AuditDetails.SignInMethod("backup code"));
            // A row from before details had keys keeps showing its stored text.
            await log.AppendAsync(AuditKinds.SettingsChanged, jane.Id, "jane.doe", jane.Id, "jane.doe", "email changed: False");
            return true;
        });

        var session = await Host.StoreSessionAsync("jane.doe");
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, jane.Id).Add(c => c.SessionId, session.SessionId));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid='recent-activity-detail']").Count));
        var details = cut.FindAll("[data-testid='recent-activity-detail']").Select(d => d.TextContent.Trim()).ToList();
        Assert.Equal(["email changed: False", method, failed], details);
        Assert.Contains(signedIn, cut.Find("[data-testid='recent-activity']").TextContent);
    }

    [Theory]
    [InlineData("en", "Done by: Command line", "Done by: sam.support")]
    [InlineData("de", "Ausgeführt von: Kommandozeile", "Ausgeführt von: sam.support")]
    public async Task SecurityTab_StaffActionOnTheUser_NamesTheStaffMemberAndOwnActionsNameNobody(string language, string byCommandLine, string byStaff)
    {
        using var culture = In(language);
        var jane = await Host.CreateUserAsync("jane.doe", Password);
        var staff = await Host.CreateUserAsync("sam.support", Password, RustDesk.Core.Accounts.Roles.Support);
        await AppendAsync(AuditKinds.SignInSucceeded, jane.Id, "jane.doe", jane.Id, "jane.doe", ip: "192.168.1.5");
        await AppendAsync(AuditKinds.StaffForceLogout, staff.Id, "sam.support", jane.Id, "jane.doe", ip: "10.8.8.8");
        await AppendAsync(AuditKinds.RecoveryResetTwoFactor, null, AuditLog.CommandLineActor, jane.Id, "jane.doe");

        var session = await Host.StoreSessionAsync("jane.doe");
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, jane.Id).Add(c => c.SessionId, session.SessionId));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid='recent-activity-row']").Count));
        var rows = cut.FindAll("[data-testid='recent-activity-row']");
        Assert.Equal([byCommandLine, byStaff, null], rows.Select(r => r.QuerySelector("[data-testid='recent-activity-actor']")?.TextContent.Trim()));
    }

    [Fact]
    public async Task SecurityTab_MoreThanTenEvents_ShowsTheTenNewest()
    {
        using var culture = InEnglish();
        var jane = await Host.CreateUserAsync("jane.doe", Password);
        for (var i = 0; i < 12; i++)
        {
            await AppendAsync(i == 0 ? AuditKinds.TwoFactorEnabled : AuditKinds.SignInSucceeded, jane.Id, "jane.doe", jane.Id, "jane.doe");
        }

        var session = await Host.StoreSessionAsync("jane.doe");
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, jane.Id).Add(c => c.SessionId, session.SessionId));

        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("[data-testid='recent-activity-row']").Count));
        Assert.DoesNotContain(cut.FindAll("[data-testid='recent-activity-row']"), r => r.GetAttribute("data-kind") == AuditKinds.TwoFactorEnabled);
    }

    [Fact]
    public async Task SecurityTab_NoEvents_SaysSo()
    {
        using var culture = InEnglish();
        var jane = await Host.CreateUserAsync("jane.doe", Password);

        var session = await Host.StoreSessionAsync("jane.doe");
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, jane.Id).Add(c => c.SessionId, session.SessionId));

        cut.WaitForAssertion(() => Assert.Equal("empty", cut.Find("[data-testid='recent-activity']").GetAttribute("data-state")));
    }

    private Task AppendAsync(string kind, string? actorId, string actorName, string? targetId = null, string? targetName = null,
        string? ip = null, string? userAgent = null) =>
        Host.WithAsync<AuditLog, bool>(async log =>
        {
            await log.AppendAsync(kind, actorId, actorName, targetId, targetName, ipAddress: ip, userAgent: userAgent);
            Host.Time.Advance(TimeSpan.FromMinutes(1));
            return true;
        });
}
