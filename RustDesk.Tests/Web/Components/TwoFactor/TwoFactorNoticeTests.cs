using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.TwoFactor;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

public sealed class TwoFactorNoticeTests : TwoFactorComponentTestBase
{
    [Fact]
    public async Task Render_KeyOlderThan180Days_ShowsExpiredReminder()
    {
        using var culture = SignedInServices();
        await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));

        await SignInAsync();
        var cut = Render<TwoFactorNotice>();

        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ExpiredNotice"), cut.Find("[data-testid='tfa-reminder']").TextContent));
    }

    [Fact]
    public async Task Render_RenewalDueWithinTwoWeeks_ShowsReminderWithTheDate()
    {
        using var culture = SignedInServices();
        await EnableAsync(Host, User.Id);
        var dueAt = (await StatusAsync()).ExpiresAt!.Value;
        Host.Time.Advance(TimeSpan.FromDays(170));

        await SignInAsync();
        var cut = Render<TwoFactorNotice>();

        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ReminderNotice", RustDesk.Web.Components.Shared.LocalTimeFormat.Date(dueAt, TimeZoneInfo.Utc, System.Globalization.CultureInfo.CurrentCulture)), cut.Find("[data-testid='tfa-reminder']").TextContent));
    }

    [Fact]
    public async Task Render_TwoBackupCodesLeft_ShowsLowNotice()
    {
        using var culture = SignedInServices();
        var (_, codes) = await EnableAsync(Host, User.Id);
        foreach (var code in codes.Take(4))
        {
            await VerifyAsync(Host, User.Id, code);
        }

        await SignInAsync();
        var cut = Render<TwoFactorNotice>();

        cut.WaitForAssertion(() => Assert.Contains(Text("Backup.LowNotice", 2), cut.Find("[data-testid='backup-codes-low']").TextContent));
        Assert.Empty(cut.FindAll("[data-testid='tfa-reminder']"));
    }

    [Fact]
    public async Task Render_ThreeBackupCodesLeft_ShowsNoLowNotice()
    {
        using var culture = SignedInServices();
        var (_, codes) = await EnableAsync(Host, User.Id);
        foreach (var code in codes.Take(3))
        {
            await VerifyAsync(Host, User.Id, code);
        }
        // Expired as well, so that the expiry reminder shows when the state has loaded.
        Host.Time.Advance(TimeSpan.FromDays(181));

        await SignInAsync();
        var cut = Render<TwoFactorNotice>();

        cut.WaitForElement("[data-testid='tfa-reminder']");
        Assert.Empty(cut.FindAll("[data-testid='backup-codes-low']"));
    }

    private BunitAuthorizationContext _auth = default!;

    /// <summary>The services, with a signed-in user as the layout sees it: a cascading authentication state.</summary>
    private CultureScope SignedInServices()
    {
        _auth = Ctx.AddAuthorization();
        _auth.SetAuthorized(User.UserName!);
        return InEnglish();
    }

    /// <summary>Signs in now (after the clock moved and enrollment ended the earlier sessions): the user id and session claims.</summary>
    private new async Task SignInAsync()
    {
        var session = await base.SignInAsync();
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, User.Id), new Claim(RustDesk.Core.Sessions.SessionClaims.SessionId, session.SessionId));
    }
}
