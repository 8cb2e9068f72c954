using System.Security.Claims;
using Bunit;
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

        var cut = Ctx.Render<TwoFactorNotice>();

        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ExpiredNotice"), cut.Find("[data-testid='tfa-reminder']").TextContent));
    }

    [Fact]
    public async Task Render_RenewalDueWithinTwoWeeks_ShowsReminderWithTheDate()
    {
        using var culture = SignedInServices();
        await EnableAsync(Host, User.Id);
        var dueAt = (await StatusAsync()).ExpiresAt!.Value;
        Host.Time.Advance(TimeSpan.FromDays(170));

        var cut = Ctx.Render<TwoFactorNotice>();

        cut.WaitForAssertion(() => Assert.Contains(Text("Tfa.ReminderNotice", dueAt), cut.Find("[data-testid='tfa-reminder']").TextContent));
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

        var cut = Ctx.Render<TwoFactorNotice>();

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

        var cut = Ctx.Render<TwoFactorNotice>();

        cut.WaitForElement("[data-testid='tfa-reminder']");
        Assert.Empty(cut.FindAll("[data-testid='backup-codes-low']"));
    }

    /// <summary>The user is signed in as the layout sees it: a cascading authentication state with the user id claim.</summary>
    private CultureScope SignedInServices()
    {
        Ctx.AddAuthorization().SetAuthorized(User.UserName!).SetClaims(new Claim(ClaimTypes.NameIdentifier, User.Id));
        return Ctx.AddConsoleTestServices(Host);
    }
}
