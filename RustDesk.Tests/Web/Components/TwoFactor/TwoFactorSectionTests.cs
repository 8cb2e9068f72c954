using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using RustDesk.Core.TwoFactor;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Components.Settings;
using RustDesk.Web.Components.TwoFactor;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.TwoFactor;

public sealed class TwoFactorSectionTests : TwoFactorComponentTestBase
{
    [Fact]
    public async Task Render_TwoFactorOff_ShowsNotEnabledWithoutBackupCodeCount()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);

        var cut = RenderSection();

        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        Assert.Empty(cut.FindAll("[data-testid='backup-codes-remaining']"));
        Assert.Empty(cut.FindAll("[data-testid='tfa-disable']"));
        Assert.Contains(Text("Tfa.NotEnabledHint"), cut.Markup);
    }

    [Fact]
    public async Task Render_TwoFactorJustEnabled_ShowsSixOfSixUnused()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        await EnableAsync(Host, User.Id);

        var cut = RenderSection();

        cut.WaitForAssertion(() => Assert.Equal("6", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(Text("Backup.Remaining", 6, 6), Remaining(cut).TextContent.Trim());
        Assert.Equal("enabled", State(cut));
    }

    [Fact]
    public async Task Render_AfterABackupCodeWasUsed_ShowsOneFewerUnused()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var (_, codes) = await EnableAsync(Host, User.Id);
        var cut = RenderSection();
        cut.WaitForAssertion(() => Assert.Equal("6", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, await VerifyAsync(Host, User.Id, codes[0]));

        cut.Render();

        cut.WaitForAssertion(() => Assert.Equal("5", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(Text("Backup.Remaining", 5, 6), Remaining(cut).TextContent.Trim());
    }

    [Fact]
    public async Task Enable_FromTheSection_ShowsEnabledAndSixOfSixAfterDone()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = RenderSection();
        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        cut.Find("[data-testid='tfa-enable']").Click();
        provider.WaitForElement("[data-testid='tfa-qr']");
        EnterAndConfirm(provider, CodeAt(ShownKey(provider), Host));
        provider.WaitForElement("[data-testid='backup-codes']");

        ByTestId(provider, "backup-codes-done").Click();

        cut.WaitForAssertion(() => Assert.Equal("enabled", State(cut)));
        Assert.Equal("6", Remaining(cut).GetAttribute("data-remaining"));
    }

    [Fact]
    public async Task Renew_ExpiredKey_ShowsEnabledAgainAndOnlyTheNewKeyWorks()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var (oldKey, _) = await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));
        var session = await SignInAsync();
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = RenderSection(session.SessionId);
        cut.WaitForAssertion(() => Assert.Equal("expired", State(cut)));
        cut.Find("[data-testid='tfa-enable']").Click();
        // Renewing replaces a working key: the user first confirms with the current (expired, still valid) one.
        provider.AnswerReVerification(CodeAt(oldKey, Host));
        provider.WaitForElement("[data-testid='tfa-qr']");
        var newKey = ShownKey(provider);
        EnterAndConfirm(provider, CodeAt(newKey, Host));
        provider.WaitForElement("[data-testid='backup-codes']");

        ByTestId(provider, "backup-codes-done").Click();

        cut.WaitForAssertion(() => Assert.Equal("enabled", State(cut)));
        Assert.Empty(cut.FindAll("[data-testid='tfa-enable']"));
        Host.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(Host, User.Id, CodeAt(oldKey, Host)));
        Assert.Equal(SecondFactorResult.Succeeded, await VerifyAsync(Host, User.Id, CodeAt(newKey, Host)));
    }

    [Fact]
    public async Task Disable_WrongCode_ShowsErrorAndKeepsTwoFactorOn()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var (key, _) = await EnableAsync(Host, User.Id);
        var (provider, cut) = OpenDisableDialog();

        DisableCodeInput(provider).Input(WrongCodeFor(key));
        ByTestId(provider, "tfa-disable-confirm").Click();

        provider.WaitForAssertion(() => Assert.Equal(Text("Login2fa.Wrong"), DisableCodeInput(provider).FieldError()));
        Assert.NotNull(ByTestId(provider, "tfa-disable-dialog"));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
        Assert.Equal(6, (await StatusAsync()).UnusedBackupCodes);
        Assert.Equal("enabled", State(cut));
    }

    [Fact]
    public async Task Disable_FiveDigits_ShowsFormatErrorAndKeepsTwoFactorOn()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        await EnableAsync(Host, User.Id);
        var (provider, _) = OpenDisableDialog();

        DisableCodeInput(provider).Input("12345");
        ByTestId(provider, "tfa-disable-confirm").Click();

        provider.WaitForAssertion(() => Assert.Equal(Text("Login2fa.InvalidFormat"), DisableCodeInput(provider).FieldError()));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Disable_RightCode_TurnsTwoFactorOff()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var (key, codes) = await EnableAsync(Host, User.Id);
        var snackbars = Ctx.Render<MudSnackbarProvider>();
        var (provider, cut) = OpenDisableDialog();

        DisableCodeInput(provider).Input(CodeAt(key, Host));
        ByTestId(provider, "tfa-disable-confirm").Click();

        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='tfa-disable-dialog']")));
        Assert.Empty(cut.FindAll("[data-testid='backup-codes-remaining']"));
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
        Assert.Equal(SecondFactorResult.NotEnabled, await VerifyAsync(Host, User.Id, codes[0]));
        snackbars.WaitForAssertion(() => Assert.Contains(Text("Tfa.Disabled"), snackbars.Markup));
    }

    [Fact]
    public async Task Disable_BackupCode_TurnsTwoFactorOff()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var (_, codes) = await EnableAsync(Host, User.Id);
        var (provider, cut) = OpenDisableDialog();

        DisableCodeInput(provider).Input(codes[3]);
        ByTestId(provider, "tfa-disable-confirm").Click();

        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Regenerate_Confirmed_ShowsSixNewCodesAndVoidsTheOldOnes()
    {
        using var culture = Ctx.AddConsoleTestServices(Host);
        var (key, oldCodes) = await EnableAsync(Host, User.Id);
        await VerifyAsync(Host, User.Id, oldCodes[0]);
        var session = await SignInAsync();
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = RenderSection(session.SessionId);
        cut.WaitForAssertion(() => Assert.Equal("5", Remaining(cut).GetAttribute("data-remaining")));
        cut.Find("[data-testid='backup-codes-regenerate']").Click();
        provider.WaitForAssertion(() => Assert.Contains(Text("Backup.RegenerateConfirm"), provider.Markup));

        provider.FindAll("button").Single(b => b.TextContent.Trim() == Text("Backup.Regenerate")).Click();
        // New codes are a protected change: confirmed with a 2FA code (not a backup code, which would be counted).
        provider.AnswerReVerification(CodeAt(key, Host));

        provider.WaitForElement("[data-testid='backup-codes']");
        var shown = provider.FindAll("[data-testid='backup-code']").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(6, shown.Count);
        ByTestId(provider, "backup-codes-done").Click();
        cut.WaitForAssertion(() => Assert.Equal("6", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(Host, User.Id, oldCodes[1]));
        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, await VerifyAsync(Host, User.Id, shown[0]));
    }

    [Fact]
    public async Task Render_GermanCulture_ShowsGermanText()
    {
        using var culture = Ctx.AddConsoleTestServices(Host, "de");
        await EnableAsync(Host, User.Id);
        var (provider, cut) = OpenDisableDialog();

        Assert.Contains("Zwei-Faktor-Authentifizierung (2FA)", cut.Markup);
        Assert.Equal("Backup-Codes: 6 von 6 unbenutzt", Remaining(cut).TextContent.Trim());
        Assert.Equal("Neue Codes erzeugen", cut.Find("[data-testid='backup-codes-regenerate']").TextContent.Trim());
        Assert.Contains("um 2FA auszuschalten.", provider.Markup);
        Assert.Equal("2FA deaktivieren", ByTestId(provider, "tfa-disable-confirm").TextContent.Trim());
        Assert.Equal("2FA-Code", DisableCodeInput(provider).LabelOf());
    }

    private IRenderedComponent<TwoFactorSection> RenderSection(string? sessionId = null) =>
        Ctx.Render<TwoFactorSection>(p => p.Add(c => c.UserId, User.Id).Add(c => c.SessionId, sessionId));

    private (IRenderedComponent<MudDialogProvider> Provider, IRenderedComponent<TwoFactorSection> Section) OpenDisableDialog()
    {
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = RenderSection();
        cut.WaitForAssertion(() => Assert.Equal("enabled", State(cut)));
        cut.Find("[data-testid='tfa-disable']").Click();
        provider.WaitForElement("input[data-testid='tfa-disable-code']");
        return (provider, cut);
    }

    private static IElement DisableCodeInput(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("input[data-testid='tfa-disable-code']");

    private static string? State(IRenderedComponent<TwoFactorSection> cut) =>
        cut.FindAll("[data-testid='tfa-state']").SingleOrDefault()?.GetAttribute("data-state");

    private static IElement Remaining(IRenderedComponent<TwoFactorSection> cut) =>
        cut.Find("[data-testid='backup-codes-remaining']");
}
