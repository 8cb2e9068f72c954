using Bunit;
using MudBlazor;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Admin;

namespace RustDesk.Tests.Web.Components.Admin;

public sealed class AuditLogPageTests : ConsoleComponentTest
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    private RustDesk.Core.Accounts.ConsoleUser _admin = default!;
    private string _adminSession = "";

    protected override async Task ArrangeAsync()
    {
        _admin = (await Host.FindUserAsync(DatabaseInitializer.AdminUserName))!;
        _adminSession = await Host.SessionIdOfAsync(_admin.Id);
        await AppendAsync(AuditKinds.SignInSucceeded, _admin.Id, "admin", ip: "192.168.1.5", userAgent: Chrome);
        await AppendAsync(AuditKinds.TwoFactorEnabled, "jane-id", "jane", "jane-id", "jane", ip: "10.0.0.7");
        await AppendAsync(AuditKinds.RecoveryResetTwoFactor, null, AuditLog.CommandLineActor, "jane-id", "jane");
        await AppendAsync("future.kind", null, "system");
    }

    [Fact]
    public void Render_Administrator_ShowsEveryEventNewestFirstWithLabelsIpAndBrowser()
    {
        using var culture = SignedInAsAdmin();
        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid='audit-row']").Count));
        Assert.Equal(["future.kind", AuditKinds.RecoveryResetTwoFactor, AuditKinds.TwoFactorEnabled, AuditKinds.SignInSucceeded],
            cut.FindAll("[data-testid='audit-row']").Select(r => r.GetAttribute("data-kind")));
        // Known kinds read as their label; an unknown one as stored.
        Assert.Equal(["future.kind", Text("Audit.Kind.recovery.reset-2fa"), Text("Audit.Kind.2fa.enabled"), Text("Audit.Kind.sign-in.succeeded")],
            cut.FindAll("[data-testid='audit-kind']").Select(c => c.TextContent.Trim()));
        var signIn = cut.FindAll("[data-testid='audit-row']")[3].ParentElement!.TextContent;
        Assert.Contains("192.168.1.5", signIn);
        Assert.Contains("Chrome on Windows", signIn);
        Assert.Contains("Nov 25, 2026, 09:00 UTC", signIn);
    }

    [Fact]
    public async Task FilterByKind_TwoFactor_ShowsOnlyTwoFactorEvents()
    {
        using var culture = SignedInAsAdmin();
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid='audit-row']").Count));

        var select = cut.FindComponent<MudSelect<string>>();
        await cut.InvokeAsync(() => select.Instance.SelectOption(AuditKindGroups.TwoFactor));

        cut.WaitForAssertion(() => Assert.Equal([AuditKinds.TwoFactorEnabled],
            cut.FindAll("[data-testid='audit-row']").Select(r => r.GetAttribute("data-kind"))));
    }

    [Fact]
    public void FilterByText_TargetName_ShowsOnlyMatchingEvents()
    {
        using var culture = SignedInAsAdmin();
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid='audit-row']").Count));

        cut.Find("input[data-testid='audit-filter-text']").Change("jane");

        cut.WaitForAssertion(() => Assert.Equal([AuditKinds.RecoveryResetTwoFactor, AuditKinds.TwoFactorEnabled],
            cut.FindAll("[data-testid='audit-row']").Select(r => r.GetAttribute("data-kind"))));
    }

    [Fact]
    public void FilterByText_NoMatch_ShowsTheEmptyMessage()
    {
        using var culture = SignedInAsAdmin();
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid='audit-row']").Count));

        cut.Find("input[data-testid='audit-filter-text']").Change("nobody-at-all");

        cut.WaitForAssertion(() => Assert.Equal(Text("Audit.Empty"), cut.Find("[data-testid='audit-empty']").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid='audit-row']"));
    }

    [Fact]
    public async Task Render_AggregateRow_ShowsHowManyAttemptsItStandsFor()
    {
        for (var i = 0; i < 3; i++)
        {
            await Host.WithAsync<AuditLog, bool>(async log =>
            {
                await log.AppendAggregatedAsync(AuditKinds.SignInFailed, "unknown\n203.0.113.50", null, "(unknown user name)",
                    detail: "password step; unknown user name", ipAddress: "203.0.113.50");
                return true;
            });
        }
        using var culture = SignedInAsAdmin();

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid='audit-row']").Count));
        Assert.Equal("password step; unknown user name (3 attempts)", cut.FindAll("[data-testid='audit-detail']")[0].TextContent.Trim());
    }

    [Fact]
    public void Render_German_ShowsGermanLabels()
    {
        using var culture = SignedInAsAdmin("de");
        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Contains("Angemeldet", cut.FindAll("[data-testid='audit-kind']").Select(c => c.TextContent.Trim())));
        Assert.Contains("25.11.2026, 09:00 UTC", cut.Markup);
        Assert.Contains("Prüfprotokoll", cut.Markup);
    }

    [Theory]
    [InlineData("de")]
    [InlineData("en")]
    public async Task Render_PasskeyClientAlarmAndRecoveryEvents_ReadInTheReadersLanguage(string language)
    {
        // Written as Core writes them (its detail factories and constants), oldest first.
        var rows = new (string Kind, string? ActorId, string Actor, AuditDetail? Detail)[]
        {
            (AuditKinds.PasskeyRegistered, "jane-id", "jane", AuditDetails.Passkey("User")),
            (AuditKinds.SignInFailed, "jane-id", "jane", AuditDetails.StepFailed(SignInSteps.Passkey, AuditDetails.UnknownClientsBudget,
                RustDesk.Core.Passkeys.PasskeyCeremonies.Describe(RustDesk.Core.Passkeys.PasskeyCheck.UnknownCredential))),
            (AuditKinds.ReVerificationFailed, "jane-id", "jane", AuditDetails.StepFailed(RustDesk.Core.ReVerification.ProofSteps.ReVerificationPasskey,
                AuditDetails.TrustedDeviceBudget, RustDesk.Core.Passkeys.PasskeyCeremonies.Describe(RustDesk.Core.Passkeys.PasskeyCheck.Malformed))),
            (AuditKinds.SignInFailed, "jane-id", "jane", AuditDetails.AccountDisabled(SignInSteps.Passwordless)),
            (AuditKinds.ReVerified, "jane-id", "jane", AuditDetails.SignInMethod(SignInMethods.Passkey)),
            (AuditKinds.SignInSucceeded, "jane-id", "jane", AuditDetails.ClientSignIn(SignInMethods.Totp)),
            (AuditKinds.StaffChangeRoles, _admin.Id, "admin", AuditDetails.Staff("roles", "roles: Administrator,User", "Administrator, User")),
            (AuditKinds.AlarmRaised, null, AuditActors.System, AuditDetails.Alarm(AuditDetails.AlarmConsecutive, 6)),
            (AuditKinds.RecoveryRefused, null, AuditActors.CommandLine, AuditDetails.RecoveryUsage("reset-2fa")),
            (AuditKinds.SignInFailed, null, AuditActors.UnknownUserName, AuditDetails.UnknownPasskey(SignInSteps.Passwordless)),
        };
        foreach (var row in rows)
        {
            await Host.WithAsync<AuditLog, bool>(async log =>
            {
                await log.AppendAsync(row.Kind, row.ActorId, row.Actor, "jane-id", "jane", row.Detail);
                Host.Time.Advance(TimeSpan.FromMinutes(1));
                return true;
            });
        }
        using var culture = SignedInAsAdmin(language);

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(14, cut.FindAll("[data-testid='audit-row']").Count));
        var details = cut.FindAll("[data-testid='audit-detail']").Take(rows.Length).Select(d => d.TextContent.Trim()).Reverse().ToList();
        var actors = cut.FindAll("[data-testid='audit-row']").Take(rows.Length)
            .Select(r => r.ParentElement!.Children[2].TextContent.Trim()).Reverse().ToList();
        if (language == "de")
        {
            Assert.Equal(
            [
                "Passkey „User“",
                "Passkey abgelehnt: unbekannter Passkey (Limit: unbekannte Browser)",
                "Passkey der erneuten Bestätigung abgelehnt: fehlerhafte oder zu große Antwort (Limit: dieser Browser)",
                "Passkey (Anmeldung ohne Passwort) korrekt, aber das Konto ist deaktiviert",
                "Mit Passkey",
                "RustDesk-Client, mit Passwort und TOTP-Code",
                "Rollen: Administrator, Benutzer",
                "6 Fehlversuche in Folge bei diesem Konto",
                "Fehlende oder überzählige Argumente (Befehl „reset-2fa“)",
                "Unbekannter Passkey oder unbrauchbare Eingabe",
            ], details);
            Assert.Equal(["System (Alarme)", "Kommandozeile", "(unbekannter Benutzername)"], actors.Skip(7));
            // No English left: none of the words the stored English texts are made of.
            var english = new[] { "passkey step", "sign-in", "refused", "unknown", "client:", "with", "disabled", "alarm", "missing", "command line", "system" };
            Assert.All(details.Concat(actors), text => Assert.DoesNotContain(english, word => text.Contains(word, StringComparison.Ordinal)));
        }
        else
        {
            Assert.Equal(
            [
                "Passkey “User”",
                "Refused passkey: unknown passkey (limit: unknown browsers)",
                "Refused passkey of the re-verification: malformed or oversized response (limit: this browser)",
                "Correct passkey (sign-in without a password), but the account is disabled",
                "With passkey",
                "RustDesk client, with password and TOTP code",
                "Roles: Administrator, User",
                "6 failed attempts in a row on this account",
                "Missing or extra arguments (command “reset-2fa”)",
                "Unknown passkey or unusable input",
            ], details);
            Assert.Equal(["System (alarms)", "Command line", "(unknown user name)"], actors.Skip(7));
        }
    }

    [Fact]
    public async Task Render_FreeTextRowOfAnOlderVersion_ShowsAsStored()
    {
        await AppendAsync(AuditKinds.PasskeyRegistered, "jane-id", "jane", "jane-id", "jane");
        await Host.WithAsync<AuditLog, bool>(async log =>
        {
            await log.AppendAsync(AuditKinds.AlarmRaised, null, "system", "jane-id", "jane", "alarm consecutive");
            return true;
        });
        using var culture = SignedInAsAdmin("de");

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("[data-testid='audit-row']").Count));
        Assert.Equal("alarm consecutive", cut.FindAll("[data-testid='audit-detail']")[0].TextContent.Trim());
    }

    private Task AppendAsync(string kind, string? actorId, string actorName, string? targetId = null, string? targetName = null,
        string? ip = null, string? userAgent = null) =>
        Host.WithAsync<AuditLog, bool>(async log =>
        {
            await log.AppendAsync(kind, actorId, actorName, targetId, targetName, ipAddress: ip, userAgent: userAgent);
            Host.Time.Advance(TimeSpan.FromMinutes(1));
            return true;
        });

    /// <summary>Signed in as the administrator; the authorization services go in before the console's test services lock the container.</summary>
    private CultureScope SignedInAsAdmin(string culture = "en") => SignedInAs(_admin, RustDesk.Core.Accounts.Roles.Administrator, _adminSession, culture);
}
