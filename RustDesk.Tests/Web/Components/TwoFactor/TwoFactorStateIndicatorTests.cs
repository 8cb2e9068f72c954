using Bunit;
using MudBlazor;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.TwoFactor;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

public sealed class TwoFactorStateIndicatorTests : TwoFactorComponentTestBase
{
    [Fact]
    public async Task Render_TwoFactorOff_ShowsNotEnabledAndEnableButton()
    {
        using var culture = InEnglish();

        var cut = await RenderIndicatorAsync();

        Assert.Equal("not-enabled", cut.Find("[data-testid='tfa-state']").GetAttribute("data-state"));
        Assert.Equal(Text("Tfa.Enable"), cut.Find("[data-testid='tfa-enable']").TextContent.Trim());
    }

    [Fact]
    public async Task Render_TwoFactorOn_ShowsEnabledWithoutButton()
    {
        using var culture = InEnglish();
        await EnableAsync(Host, User.Id);

        var cut = await RenderIndicatorAsync();

        Assert.Equal("enabled", cut.Find("[data-testid='tfa-state']").GetAttribute("data-state"));
        Assert.Empty(cut.FindAll("[data-testid='tfa-enable']"));
    }

    [Fact]
    public async Task Render_KeyOneDayShortOf180Days_StillShowsEnabled()
    {
        using var culture = InEnglish();
        await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(179));

        var cut = await RenderIndicatorAsync();

        Assert.Equal("enabled", cut.Find("[data-testid='tfa-state']").GetAttribute("data-state"));
        Assert.Empty(cut.FindAll("[data-testid='tfa-enable']"));
    }

    [Fact]
    public async Task Render_KeyOlderThan180Days_ShowsExpiredAndRenewButton()
    {
        using var culture = InEnglish();
        await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));

        var cut = await RenderIndicatorAsync();

        Assert.Equal("expired", cut.Find("[data-testid='tfa-state']").GetAttribute("data-state"));
        Assert.Equal(Text("Tfa.Renew"), cut.Find("[data-testid='tfa-enable']").TextContent.Trim());
    }

    [Fact]
    public async Task ClickEnable_TwoFactorOff_AsksForThePasswordThenOpensTheEnableDialog()
    {
        using var culture = InEnglish();
        var provider = RenderDialogs();
        var cut = await RenderIndicatorAsync();

        cut.Find("[data-testid='tfa-enable']").Click();
        // A stolen cookie must not enroll an attacker's authenticator: the current password comes before any key.
        provider.WaitForReVerification();
        Assert.Contains(Text("ReVerify.PromptPassword"), provider.Markup);
        Assert.Empty(provider.FindAll("[data-testid='tfa-qr']"));
        Assert.Null(await PendingKeyAsync());
        provider.AnswerReVerification(Password);

        provider.WaitForElement("[data-testid='tfa-qr']");
        Assert.Contains(Text("Tfa.EnableTitle"), provider.Markup);
        Assert.Equal(Text("Tfa.Enable"), ByTestId(provider, "tfa-confirm").TextContent.Trim());
        Assert.NotNull(await PendingKeyAsync());
    }

    [Fact]
    public async Task ClickEnable_WrongPasswordThenCancel_ShowsNoKeyAndSaysNothingChanged()
    {
        using var culture = InEnglish();
        var snackbars = RenderSnackbars();
        var provider = RenderDialogs();
        var cut = await RenderIndicatorAsync();
        cut.Find("[data-testid='tfa-enable']").Click();

        provider.EnterReVerification("not the password");
        provider.WaitForAssertion(() => Assert.Equal(Text("ReVerify.Wrong"), provider.ReVerificationError()));
        provider.CancelReVerification();

        snackbars.WaitForAssertion(() => Assert.Contains(Text("ReVerify.NotDone"), snackbars.Markup));
        Assert.Empty(provider.FindAll("[data-testid='tfa-qr']"));
        Assert.Null(await PendingKeyAsync());
        Assert.Equal(1, (await Host.FindUserAsync(User.UserName!))!.AccessFailedCount);
    }

    [Fact]
    public async Task ClickRenew_Expired_OpensTheRenewDialogWithANewKey()
    {
        using var culture = InEnglish();
        var (oldKey, _) = await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));
        var session = await SignInAsync();
        var provider = RenderDialogs();
        var cut = await RenderIndicatorAsync(sessionId: session.SessionId);

        cut.Find("[data-testid='tfa-enable']").Click();
        // Renewing asks for a code of the current key before it shows a new one.
        provider.WaitForReVerification();
        Assert.Empty(provider.FindAll("[data-testid='tfa-qr']"));
        Assert.Null(await PendingKeyAsync());
        provider.AnswerReVerification(CodeAt(oldKey, Host));

        provider.WaitForElement("[data-testid='tfa-qr']");
        Assert.Contains(Text("Tfa.RenewTitle"), provider.Markup);
        Assert.Equal(Text("Tfa.Renew"), ByTestId(provider, "tfa-confirm").TextContent.Trim());
        Assert.NotEqual(oldKey, ShownKey(provider));
    }

    [Fact]
    public async Task ConfirmAndDone_FromTheEnableButton_RaisesChanged()
    {
        using var culture = InEnglish();
        var provider = RenderDialogs();
        var changed = 0;
        var cut = await RenderIndicatorAsync(() => changed++);
        cut.Find("[data-testid='tfa-enable']").Click();
        provider.AnswerReVerification(Password);
        provider.WaitForElement("[data-testid='tfa-qr']");
        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));
        provider.WaitForElement("[data-testid='backup-codes']");

        ByTestId(provider, "backup-codes-done").Click();

        cut.WaitForAssertion(() => Assert.Equal(1, changed));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Cancel_FromTheEnableButton_DoesNotRaiseChanged()
    {
        using var culture = InEnglish();
        var provider = RenderDialogs();
        var changed = 0;
        var cut = await RenderIndicatorAsync(() => changed++);
        cut.Find("[data-testid='tfa-enable']").Click();
        provider.AnswerReVerification(Password);
        provider.WaitForElement("[data-testid='tfa-qr']");

        ByTestId(provider, "tfa-cancel").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='tfa-dialog']")));
        Assert.Equal(0, changed);
        Assert.Null(await PendingKeyAsync());
    }

    [Fact]
    public async Task Render_GermanCulture_ShowsGermanButtons()
    {
        using var culture = InGerman();
        var notEnabled = await RenderIndicatorAsync();
        await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));

        var expired = await RenderIndicatorAsync();

        Assert.Equal("2FA aktivieren", notEnabled.Find("[data-testid='tfa-enable']").TextContent.Trim());
        Assert.Equal("2FA erneuern", expired.Find("[data-testid='tfa-enable']").TextContent.Trim());
    }

    private async Task<IRenderedComponent<TwoFactorStateIndicator>> RenderIndicatorAsync(Action? changed = null, string? sessionId = null)
    {
        var status = await StatusAsync();
        sessionId ??= (await SignInAsync()).SessionId;
        return Render<TwoFactorStateIndicator>(p =>
        {
            p.Add(c => c.UserId, User.Id);
            p.Add(c => c.SessionId, sessionId);
            p.Add(c => c.Status, status);
            if (changed is not null)
            {
                p.Add(c => c.Changed, changed);
            }
        });
    }
}
