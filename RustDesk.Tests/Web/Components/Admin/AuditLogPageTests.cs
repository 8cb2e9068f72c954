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
