using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using MudBlazor;
using RustDesk.Core.Audit;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;
using RustDesk.Web.Components.TwoFactor;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

/// <summary>
/// One page, several places that show 2FA: the layout's banner, the Basic tab's chip, the Security tab's section and its
/// recent activity. After enable, renew, disable or new backup codes every one of them follows at once (no reload, no
/// re-render from outside), and a success message says what happened.
/// </summary>
public sealed class LiveStateTests : TwoFactorComponentTestBase
{
    private BunitAuthorizationContext _auth = default!;

    private sealed record Page(
        IRenderedComponent<MudDialogProvider> Dialogs,
        IRenderedComponent<MudSnackbarProvider> Snackbars,
        IRenderedComponent<TwoFactorNotice> Banner,
        IRenderedComponent<BasicSettingsTab> Basic,
        IRenderedComponent<SecuritySettingsTab> Security);

    /// <summary>Everything a signed-in settings page shows about 2FA, rendered against one circuit's services.</summary>
    private async Task<Page> RenderPageAsync()
    {
        var session = await SignInAsync();
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, User.Id), new Claim(RustDesk.Core.Sessions.SessionClaims.SessionId, session.SessionId));
        var page = new Page(
            RenderDialogs(),
            RenderSnackbars(),
            Render<TwoFactorNotice>(),
            Render<BasicSettingsTab>(p => p.Add(c => c.UserId, User.Id).Add(c => c.SessionId, session.SessionId)),
            Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, User.Id).Add(c => c.SessionId, session.SessionId)));
        page.Security.WaitForAssertion(() => Assert.NotEqual("loading", page.Security.Find("[data-testid='recent-activity']").GetAttribute("data-state")));
        return page;
    }

    private CultureScope Services()
    {
        _auth = Ctx.AddAuthorization();
        _auth.SetAuthorized(User.UserName!);
        return InEnglish();
    }

    private static string? Chip<T>(IRenderedComponent<T> cut) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll("[data-testid='tfa-state']").FirstOrDefault()?.GetAttribute("data-state");

    private static IEnumerable<string?> ActivityKinds(Page page) =>
        page.Security.FindAll("[data-testid='recent-activity-row']").Select(r => r.GetAttribute("data-kind"));

    [Fact]
    public async Task Disable_OnTheSecurityTab_BannerChipSectionAndActivityFollowWithASuccessMessage()
    {
        using var culture = Services();
        var (key, _) = await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(170));
        var page = await RenderPageAsync();
        page.Banner.WaitForElement("[data-testid='tfa-reminder']");
        page.Basic.WaitForAssertion(() => Assert.Equal("enabled", Chip(page.Basic)));

        page.Security.Find("[data-testid='tfa-disable']").Click();
        page.Dialogs.WaitForElement("input[data-testid='tfa-disable-code']").Input(CodeAt(key, Host));
        page.Dialogs.Find("[data-testid='tfa-disable-confirm']").Click();

        page.Security.WaitForAssertion(() => Assert.Equal("not-enabled", Chip(page.Security)));
        page.Basic.WaitForAssertion(() => Assert.Equal("not-enabled", Chip(page.Basic)));
        page.Banner.WaitForAssertion(() => Assert.Empty(page.Banner.FindAll("[data-testid='tfa-reminder']")));
        page.Security.WaitForAssertion(() => Assert.Equal(AuditKinds.TwoFactorDisabled, ActivityKinds(page).First()));
        page.Snackbars.WaitForAssertion(() => Assert.Contains(Text("Tfa.Disabled"), page.Snackbars.Markup));
    }

    [Fact]
    public async Task Renew_FromTheBasicTabsChip_BannerSectionAndActivityFollowWithASuccessMessage()
    {
        using var culture = Services();
        var (oldKey, _) = await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));
        var page = await RenderPageAsync();
        page.Banner.WaitForElement("[data-testid='tfa-reminder']");
        page.Basic.WaitForAssertion(() => Assert.Equal("expired", Chip(page.Basic)));

        page.Basic.Find("[data-testid='tfa-enable']").Click();
        page.Dialogs.AnswerReVerification(CodeAt(oldKey, Host));
        page.Dialogs.WaitForElement("[data-testid='tfa-qr']");
        EnterAndConfirm(page.Dialogs, CodeAt(ShownKey(page.Dialogs), Host));
        page.Dialogs.WaitForElement("[data-testid='backup-codes']");
        ByTestId(page.Dialogs, "backup-codes-done").Click();

        page.Basic.WaitForAssertion(() => Assert.Equal("enabled", Chip(page.Basic)));
        page.Security.WaitForAssertion(() => Assert.Equal("enabled", Chip(page.Security)));
        page.Banner.WaitForAssertion(() => Assert.Empty(page.Banner.FindAll("[data-testid='tfa-reminder']")));
        page.Security.WaitForAssertion(() => Assert.Contains(AuditKinds.TwoFactorRenewed, ActivityKinds(page)));
        page.Snackbars.WaitForAssertion(() => Assert.Contains(Text("Tfa.RenewedNotice"), page.Snackbars.Markup));
    }

    [Fact]
    public async Task Enable_FromTheSecurityTab_ChipAndActivityFollowWithASuccessMessage()
    {
        using var culture = Services();
        var page = await RenderPageAsync();
        page.Basic.WaitForAssertion(() => Assert.Equal("not-enabled", Chip(page.Basic)));

        page.Security.Find("[data-testid='tfa-enable']").Click();
        page.Dialogs.AnswerReVerification(Password);
        page.Dialogs.WaitForElement("[data-testid='tfa-qr']");
        EnterAndConfirm(page.Dialogs, CodeAt(ShownKey(page.Dialogs), Host));
        page.Dialogs.WaitForElement("[data-testid='backup-codes']");
        ByTestId(page.Dialogs, "backup-codes-done").Click();

        page.Basic.WaitForAssertion(() => Assert.Equal("enabled", Chip(page.Basic)));
        page.Security.WaitForAssertion(() => Assert.Equal("6", page.Security.Find("[data-testid='backup-codes-remaining']").GetAttribute("data-remaining")));
        page.Security.WaitForAssertion(() => Assert.Contains(AuditKinds.TwoFactorEnabled, ActivityKinds(page)));
        page.Snackbars.WaitForAssertion(() => Assert.Contains(Text("Tfa.EnabledNotice"), page.Snackbars.Markup));
    }

    [Fact]
    public async Task Regenerate_BackupCodes_LowBannerAndActivityFollowWithASuccessMessage()
    {
        using var culture = Services();
        var (key, codes) = await EnableAsync(Host, User.Id);
        foreach (var code in codes.Take(4))
        {
            await VerifyAsync(Host, User.Id, code);
        }
        var page = await RenderPageAsync();
        page.Banner.WaitForElement("[data-testid='backup-codes-low']");

        page.Security.Find("[data-testid='backup-codes-regenerate']").Click();
        page.Dialogs.WaitForAssertion(() => Assert.Contains(Text("Backup.RegenerateConfirm"), page.Dialogs.Markup));
        page.Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == Text("Backup.Regenerate")).Click();
        page.Dialogs.AnswerReVerification(CodeAt(key, Host));
        page.Dialogs.WaitForElement("[data-testid='backup-codes']");
        ByTestId(page.Dialogs, "backup-codes-done").Click();

        page.Banner.WaitForAssertion(() => Assert.Empty(page.Banner.FindAll("[data-testid='backup-codes-low']")));
        page.Security.WaitForAssertion(() => Assert.Equal("6", page.Security.Find("[data-testid='backup-codes-remaining']").GetAttribute("data-remaining")));
        page.Security.WaitForAssertion(() => Assert.Equal(AuditKinds.BackupCodesGenerated, ActivityKinds(page).First()));
        page.Snackbars.WaitForAssertion(() => Assert.Contains(Text("Backup.Regenerated"), page.Snackbars.Markup));
    }
}
