using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
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
        using var culture = InEnglish();

        var cut = await RenderSectionAsync();

        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        Assert.Empty(cut.FindAll("[data-testid='backup-codes-remaining']"));
        Assert.Empty(cut.FindAll("[data-testid='tfa-disable']"));
        Assert.Contains(Text("Tfa.NotEnabledHint"), cut.Markup);
    }

    [Fact]
    public async Task Render_TwoFactorJustEnabled_ShowsSixOfSixUnused()
    {
        using var culture = InEnglish();
        await EnableAsync(Host, User.Id);

        var cut = await RenderSectionAsync();

        cut.WaitForAssertion(() => Assert.Equal("6", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(Text("Backup.Remaining", 6, 6), Remaining(cut).TextContent.Trim());
        Assert.Equal("enabled", State(cut));
    }

    [Fact]
    public async Task Render_AfterABackupCodeWasUsed_ShowsOneFewerUnused()
    {
        using var culture = InEnglish();
        var (_, codes) = await EnableAsync(Host, User.Id);
        var cut = await RenderSectionAsync();
        cut.WaitForAssertion(() => Assert.Equal("6", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(SecondFactorResult.SucceededWithBackupCode, await VerifyAsync(Host, User.Id, codes[0]));

        cut.Render();

        cut.WaitForAssertion(() => Assert.Equal("5", Remaining(cut).GetAttribute("data-remaining")));
        Assert.Equal(Text("Backup.Remaining", 5, 6), Remaining(cut).TextContent.Trim());
    }

    [Fact]
    public async Task Enable_FromTheSection_ShowsEnabledAndSixOfSixAfterDone()
    {
        using var culture = InEnglish();
        var provider = RenderDialogs();
        var cut = await RenderSectionAsync();
        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        cut.Find("[data-testid='tfa-enable']").Click();
        // Enabling is a protected change: the current password first, and no key exists before it.
        provider.WaitForReVerification();
        Assert.Contains(Text("ReVerify.PromptPassword"), provider.Markup);
        Assert.Null(await PendingKeyAsync());
        provider.AnswerReVerification(Password);
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
        using var culture = InEnglish();
        var (oldKey, _) = await EnableAsync(Host, User.Id);
        Host.Time.Advance(TimeSpan.FromDays(181));
        var session = await SignInAsync();
        var provider = RenderDialogs();
        var cut = await RenderSectionAsync(session.SessionId);
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
        using var culture = InEnglish();
        var (key, _) = await EnableAsync(Host, User.Id);
        var (provider, cut) = await OpenDisableDialogAsync();

        DisableCodeInput(provider).Input(WrongCodeFor(key));
        ByTestId(provider, "tfa-disable-confirm").Click();

        provider.WaitForAssertion(() => Assert.Equal(Text("Login2fa.Wrong"), DisableCodeInput(provider).FieldError()));
        Assert.NotNull(ByTestId(provider, "tfa-disable-dialog"));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
        Assert.Equal(6, (await StatusAsync()).UnusedBackupCodes);
        Assert.Equal("enabled", State(cut));
    }

    [Fact]
    public async Task Disable_TenWrongCodes_LockTheAccountSayItAndSignThePageOut()
    {
        using var culture = InEnglish();
        var (key, _) = await EnableAsync(Host, User.Id);
        var (provider, _) = await OpenDisableDialogAsync();
        for (var attempt = 1; attempt < 10; attempt++)
        {
            DisableCodeInput(provider).Input(WrongCodeFor(key));
            ByTestId(provider, "tfa-disable-confirm").Click();
            provider.WaitForAssertion(() => Assert.Equal(Text("Login2fa.Wrong"), DisableCodeInput(provider).FieldError()));
            provider.WaitForAssertion(() => Assert.True(string.IsNullOrEmpty(DisableCodeInput(provider).GetAttribute("value"))));
        }

        DisableCodeInput(provider).Input(WrongCodeFor(key));
        ByTestId(provider, "tfa-disable-confirm").Click();

        // Before this change the dialog allowed unlimited, uncounted guesses: now the tenth locks the account.
        provider.WaitForAssertion(() => Assert.Contains(Text("Lockout.SignedOut"), provider.Markup));
        Assert.False(await Host.WithAsync<RustDesk.Core.Sessions.SessionService, bool>(s => s.IsValidAsync(_sessionId, User.Id)));
        provider.Find(".mud-message-box__yes-button, .mud-dialog-actions button").Click();
        var navigation = Navigation;
        provider.WaitForAssertion(() => Assert.EndsWith("/account/login", navigation.Uri));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Disable_FiveDigits_ShowsFormatErrorAndKeepsTwoFactorOn()
    {
        using var culture = InEnglish();
        await EnableAsync(Host, User.Id);
        var (provider, _) = await OpenDisableDialogAsync();

        DisableCodeInput(provider).Input("12345");
        ByTestId(provider, "tfa-disable-confirm").Click();

        provider.WaitForAssertion(() => Assert.Equal(Text("Login2fa.InvalidFormat"), DisableCodeInput(provider).FieldError()));
        Assert.Equal(TwoFactorState.Enabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Disable_RightCode_TurnsTwoFactorOff()
    {
        using var culture = InEnglish();
        var (key, codes) = await EnableAsync(Host, User.Id);
        var snackbars = RenderSnackbars();
        var (provider, cut) = await OpenDisableDialogAsync();

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
        using var culture = InEnglish();
        var (_, codes) = await EnableAsync(Host, User.Id);
        var (provider, cut) = await OpenDisableDialogAsync();

        DisableCodeInput(provider).Input(codes[3]);
        ByTestId(provider, "tfa-disable-confirm").Click();

        cut.WaitForAssertion(() => Assert.Equal("not-enabled", State(cut)));
        Assert.Equal(TwoFactorState.NotEnabled, (await StatusAsync()).State);
    }

    [Fact]
    public async Task Regenerate_Confirmed_ShowsSixNewCodesAndVoidsTheOldOnes()
    {
        using var culture = InEnglish();
        var (key, oldCodes) = await EnableAsync(Host, User.Id);
        await VerifyAsync(Host, User.Id, oldCodes[0]);
        var session = await SignInAsync();
        var provider = RenderDialogs();
        var cut = await RenderSectionAsync(session.SessionId);
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
        using var culture = InGerman();
        await EnableAsync(Host, User.Id);
        var (provider, cut) = await OpenDisableDialogAsync();

        Assert.Contains("Zwei-Faktor-Authentifizierung (2FA)", cut.Markup);
        Assert.Equal("Backup-Codes: 6 von 6 unbenutzt", Remaining(cut).TextContent.Trim());
        Assert.Equal("Neue Codes erzeugen", cut.Find("[data-testid='backup-codes-regenerate']").TextContent.Trim());
        Assert.Contains("um 2FA auszuschalten.", provider.Markup);
        Assert.Equal("2FA deaktivieren", ByTestId(provider, "tfa-disable-confirm").TextContent.Trim());
        Assert.Equal("2FA-Code", DisableCodeInput(provider).LabelOf());
    }

    /// <summary>The session of the section <see cref="RenderSectionAsync"/> rendered.</summary>
    private string? _sessionId;

    /// <summary>Renders the section for <paramref name="sessionId"/>, or for a session signed in now.</summary>
    private async Task<IRenderedComponent<TwoFactorSection>> RenderSectionAsync(string? sessionId = null)
    {
        _sessionId = sessionId ?? (await SignInAsync()).SessionId;
        return Render<TwoFactorSection>(p => p.Add(c => c.UserId, User.Id).Add(c => c.SessionId, _sessionId));
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IRenderedComponent<TwoFactorSection> Section)> OpenDisableDialogAsync()
    {
        var provider = RenderDialogs();
        var cut = await RenderSectionAsync();
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
