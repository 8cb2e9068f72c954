using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Tests.Core.EmailVerification;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.Settings;

/// <summary>
/// The Basic tab's "Enable email login verification" checkbox and the dialog that proves the address
/// (issue 3): real Core services on SQLite, mail through the real outbox to an SMTP listener on 127.0.0.1.
/// The dialog renders into a <see cref="MudDialogProvider"/> of the same context, so its markup is read there.
/// </summary>
public sealed class EmailVerificationTests : ConsoleComponentTest
{
    private const string OldAddress = "jane@example.com";
    private const string NewAddress = "jane.new@example.org";

    private EmailTestHost _env = default!;

    protected override async Task<CoreHost> StartHostAsync() => (_env = await EmailTestHost.StartAsync()).Host;

    protected override ValueTask StopHostAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Checkbox_NoEmail_IsDisabledWithNeedsEmailHint()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);

        var (_, cut) = await RenderAsync(user);

        Assert.True(VerificationCheckbox(cut).HasAttribute("disabled"));
        Assert.Equal(Text("Basic.EmailVerificationNeedsEmail"), HoverTooltip(cut));
        Assert.Empty(cut.FindAll("[data-testid='settings-email-verification-hint']"));
    }

    [Fact]
    public async Task Checkbox_AddressTyped_IsEnabledAndDisabledAgainWhenCleared()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var (_, cut) = await RenderAsync(user);

        EmailInput(cut).Input(NewAddress);

        Assert.False(VerificationCheckbox(cut).HasAttribute("disabled"));
        Assert.Null(HoverTooltip(cut));

        EmailInput(cut).Input("   ");

        Assert.True(VerificationCheckbox(cut).HasAttribute("disabled"));
        Assert.Equal(Text("Basic.EmailVerificationNeedsEmail"), HoverTooltip(cut));
    }

    [Fact]
    public async Task Checkbox_TotpOn_IsDisabledWithTotpHint()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        await EnableAsync(Host, user.Id);

        var (_, cut) = await RenderAsync(user);

        Assert.True(VerificationCheckbox(cut).HasAttribute("disabled"));
        Assert.Equal(Text("Basic.EmailVerificationTotpOn"), cut.Find("[data-testid='settings-email-verification-hint']").TextContent.Trim());
        Assert.Equal(Text("Basic.EmailVerificationTotpOn"), HoverTooltip(cut));
    }

    [Fact]
    public async Task Submit_TotpOnWithVerificationStored_KeepsVerificationAsShown()
    {
        using var culture = InEnglish();
        var user = await _env.CreateVerifiedUserAsync("jane.doe", Password, OldAddress);
        var (key, _) = await EnableAsync(Host, user.Id);
        var (provider, cut) = await RenderAsync(user);
        Assert.True(VerificationCheckbox(cut).IsChecked());
        Assert.True(VerificationCheckbox(cut).HasAttribute("disabled"));

        // An unrelated change: the disabled, ticked checkbox must not be turned off behind the user's back.
        cut.Find("input[type='checkbox'][data-testid='settings-alarm-notification']").Change(true);
        Submit(cut);
        // With 2FA on, every change of the tab is confirmed with a 2FA code.
        provider.AnswerReVerification(CodeAt(key, Host));

        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.Empty(provider.FindAll("[data-testid='email-confirm-code']"));
        var stored = await ReloadAsync();
        Assert.True(stored.AlarmNotificationEnabled);
        Assert.Equal(OldAddress, stored.Email);
        Assert.Equal(VerificationCheckbox(cut).IsChecked(), stored.EmailLoginVerification);
        Assert.True(stored.EmailLoginVerification);
    }

    [Fact]
    public async Task Submit_VerificationTicked_TakesEffectOnlyWithTheEmailedCode()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        var (provider, cut) = await RenderAsync(user);

        // Ticking and submitting: a code goes to the new address, the dialog asks for it, nothing is stored yet.
        EmailInput(cut).Input(NewAddress);
        VerificationCheckbox(cut).Change(true);
        Submit(cut);
        // Changing the address is confirmed with the current password before any code is sent.
        provider.AnswerReVerification(Password);
        provider.WaitForElement("input[data-testid='email-confirm-code']");
        var code = await _env.DeliverAndReadCodeAsync(NewAddress);

        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(0, _env.CountTo(OldAddress));
        Assert.Contains(Text("AddressChange.Explain", NewAddress), DialogText(provider));
        var pending = await ReloadAsync();
        Assert.Equal(OldAddress, pending.Email);
        Assert.False(pending.EmailLoginVerification);
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));

        // A wrong code: an error in the dialog, which stays open, and still nothing stored.
        EnterCode(provider, code == "000000" ? "111111" : "000000");

        provider.WaitForAssertion(() => Assert.Equal(Text("AddressChange.WrongCode"), CodeInput(provider).FieldError()));
        var afterWrong = await ReloadAsync();
        Assert.Equal(OldAddress, afterWrong.Email);
        Assert.False(afterWrong.EmailLoginVerification);
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));

        // The right code: the dialog closes, the address and verification are stored, the tab says so.
        EnterCode(provider, code);

        cut.WaitForElement("[data-testid='settings-saved']");
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='email-confirm-code']")));
        var confirmed = await ReloadAsync();
        Assert.Equal(NewAddress, confirmed.Email);
        Assert.True(confirmed.EmailLoginVerification);
        Assert.True(confirmed.EmailConfirmed);
        Assert.True(VerificationCheckbox(cut).IsChecked());
        Assert.Equal(NewAddress, EmailInput(cut).GetAttribute("value"));
    }

    [Fact]
    public async Task Confirm_FifthWrongCode_SaysTheCodeIsVoidAndChangesNothing()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        var (provider, cut) = await RenderAsync(user);
        VerificationCheckbox(cut).Change(true);
        Submit(cut);
        provider.WaitForElement("input[data-testid='email-confirm-code']");
        var code = await _env.DeliverAndReadCodeAsync(OldAddress);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 1; i <= 4; i++)
        {
            EnterCode(provider, wrong);
            provider.WaitForAssertion(() => Assert.Equal(Text("AddressChange.WrongCode"), CodeInput(provider).FieldError()));
            provider.WaitForAssertion(() => Assert.Equal("", CodeInput(provider).GetAttribute("value") ?? ""));
        }

        EnterCode(provider, wrong);

        // The request is voided: the user must be told, not left with an empty dialog.
        provider.WaitForAssertion(() => Assert.Contains(Text("AddressChange.NoRequest"), DialogText(provider)));
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
        var stored = await ReloadAsync();
        Assert.Equal(OldAddress, stored.Email);
        Assert.False(stored.EmailLoginVerification);
    }

    [Fact]
    public async Task Confirm_CodeExpired_SaysTheCodeIsNoLongerValidAndChangesNothing()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        var (provider, cut) = await RenderAsync(user);
        EmailInput(cut).Input(NewAddress);
        VerificationCheckbox(cut).Change(true);
        Submit(cut);
        provider.AnswerReVerification(Password);
        provider.WaitForElement("input[data-testid='email-confirm-code']");
        var code = await _env.DeliverAndReadCodeAsync(NewAddress);
        Host.Time.Advance(TimeSpan.FromMinutes(11));

        EnterCode(provider, code);

        provider.WaitForAssertion(() => Assert.Contains(Text("AddressChange.NoRequest"), DialogText(provider)));
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
        var stored = await ReloadAsync();
        Assert.Equal(OldAddress, stored.Email);
        Assert.False(stored.EmailLoginVerification);
    }

    [Theory]
    [InlineData(false)] // turning verification on for the current address
    [InlineData(true)] // verification already on, moving it to another address
    public async Task Cancel_InConfirmationDialog_LeavesTheAccountAsStored(bool verificationStored)
    {
        using var culture = InEnglish();
        var user = verificationStored
            ? await _env.CreateVerifiedUserAsync("jane.doe", Password, OldAddress)
            : await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        var (provider, cut) = await RenderAsync(user);
        Assert.Equal(verificationStored, VerificationCheckbox(cut).IsChecked());

        if (verificationStored)
        {
            EmailInput(cut).Input(NewAddress);
        }
        else
        {
            VerificationCheckbox(cut).Change(true);
        }
        Submit(cut);
        if (verificationStored)
        {
            // Moving verification to another address changes the address: confirmed with the current password.
            // Turning it on for the current address needs no confirmation (the emailed code proves the address).
            provider.AnswerReVerification(Password);
        }
        provider.WaitForElement("input[data-testid='email-confirm-code']");
        var requested = verificationStored ? NewAddress : OldAddress;
        var code = await _env.DeliverAndReadCodeAsync(requested);

        provider.Find("[data-testid='email-confirm-cancel']").Click();

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='email-confirm-code']")));
        cut.WaitForAssertion(() => Assert.Equal(verificationStored, VerificationCheckbox(cut).IsChecked()));
        Assert.Equal(OldAddress, EmailInput(cut).GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
        var stored = await ReloadAsync();
        Assert.Equal(OldAddress, stored.Email);
        Assert.Equal(verificationStored, stored.EmailLoginVerification);
        // The emailed code died with the request: it no longer turns anything on.
        var late = await Host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.ConfirmAddressAsync(user.Id, _sessionId, code));
        Assert.Equal(AddressChangeStatus.NoRequest, late.Status);
        Assert.Equal(OldAddress, (await ReloadAsync()).Email);
    }

    [Fact]
    public async Task Submit_VerificationUnticked_SavesAtOnceWithoutDialogOrMail()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        var (provider, cut) = await RenderAsync(user);

        EmailInput(cut).Input(NewAddress);
        Assert.False(VerificationCheckbox(cut).IsChecked());
        Submit(cut);
        provider.AnswerReVerification(Password);

        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.Empty(provider.FindAll("[data-testid='email-confirm-dialog'], [data-testid='email-confirm-code']"));
        var saved = await ReloadAsync();
        Assert.Equal(NewAddress, saved.Email);
        Assert.False(saved.EmailLoginVerification);
        Assert.Equal(0, await _env.DeliverAsync());
        Assert.Empty(_env.Smtp.Messages);
        Assert.Equal(0, await Host.WithAsync<ConsoleDbContext, int>(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task German_CheckboxHintAndDialog_AreGerman()
    {
        using var culture = InGerman();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var (provider, cut) = await RenderAsync(user);

        Assert.Equal("E-Mail-Anmeldebestätigung aktivieren", VerificationCheckbox(cut).LabelOf());
        Assert.Equal("Geben Sie zuerst eine E-Mail-Adresse ein: Die Anmeldecodes werden dorthin gesendet.", HoverTooltip(cut));

        EmailInput(cut).Input(NewAddress);
        VerificationCheckbox(cut).Change(true);
        Submit(cut);
        provider.WaitForReVerification();
        Assert.Contains("Bitte geben Sie Ihr aktuelles Passwort ein, um diese Einstellungen zu ändern.", DialogText(provider));
        Assert.Equal("Aktuelles Passwort", provider.Find("input[data-testid='reverify-code']").LabelOf());
        provider.AnswerReVerification(Password);
        provider.WaitForElement("input[data-testid='email-confirm-code']");

        Assert.Contains("E-Mail-Adresse bestätigen", DialogText(provider));
        Assert.Contains($"Wir haben einen 6-stelligen Code an {NewAddress} gesendet.", DialogText(provider));
        Assert.Equal("Bestätigen", provider.Find("[data-testid='email-confirm-submit']").TextContent.Trim());
        Assert.Equal("Abbrechen", provider.Find("[data-testid='email-confirm-cancel']").TextContent.Trim());
        Assert.DoesNotContain("We sent", DialogText(provider));

        EnterCode(provider, "000000" == await _env.DeliverAndReadCodeAsync(NewAddress) ? "111111" : "000000");

        provider.WaitForAssertion(() => Assert.Equal("Der Verifizierungscode ist falsch oder abgelaufen.", CodeInput(provider).FieldError()));
    }

    /// <summary>The session of the page <see cref="RenderAsync"/> rendered.</summary>
    private string? _sessionId;

    /// <summary>
    /// Renders the tab for a session stored in the database, as the settings page does: the re-verification modal
    /// verifies against that session. Store it after enabling 2FA, which signs out all sessions.
    /// </summary>

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IRenderedComponent<BasicSettingsTab> Tab)> RenderAsync(ConsoleUser user)
    {
        var session = await Host.StoreSessionAsync(user.UserName!);
        _sessionId = session.SessionId;
        var provider = RenderDialogs();
        var cut = Render<BasicSettingsTab>(p => p.Add(c => c.UserId, user.Id).Add(c => c.SessionId, session.SessionId));
        // The tab loads the user, then the 2FA state, asynchronously from the database; a render from a late load
        // would race with typing.
        cut.WaitForElement("[data-testid='settings-username']");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.Find("[data-testid='tfa-state']").Children));
        return (provider, cut);
    }

    private static IElement EmailInput(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("input[data-testid='settings-email']");

    /// <summary>MudCheckBox puts the data-testid on the &lt;input type=checkbox&gt; itself.</summary>
    private static IElement VerificationCheckbox(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("input[type='checkbox'][data-testid='settings-email-verification']");

    private static void Submit(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("[data-testid='settings-submit']").Click();

    private static IElement CodeInput(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("input[data-testid='email-confirm-code']");

    private static void EnterCode(IRenderedComponent<MudDialogProvider> provider, string code)
    {
        CodeInput(provider).Input(code);
        provider.Find("[data-testid='email-confirm-submit']").Click();
    }

    /// <summary>
    /// Points at the checkbox as a user would and returns the tooltip text that opens, or null when none opens.
    /// The tooltip's content lives in the popover provider that the shared setup renders (and keeps no handle to),
    /// so it is read from the popover service: the popover whose id the tooltip's anchor carries.
    /// </summary>
    private string? HoverTooltip(IRenderedComponent<BasicSettingsTab> cut)
    {
        var root = cut.Find(".mud-tooltip-root:has(input[data-testid='settings-email-verification'])");
        var anchorId = root.QuerySelector(".mud-popover-cascading-value")?.Id;
        root.PointerEnter();
        var popover = anchorId is null ? null : Service<IPopoverService>().ActivePopovers
            .SingleOrDefault(p => "popover-" + p.Id == anchorId);
        var text = popover is { ShowContent: true, Fragment: { } content } ? TextOf(Ctx.Render(content).Nodes) : null;
        root.PointerLeave();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>The text a user reads in the dialog provider (title, explanation, buttons).</summary>
    private static string DialogText(IRenderedComponent<MudDialogProvider> provider) => TextOf(provider.Nodes);

    private static string TextOf(INodeList nodes) => string.Concat(nodes.Select(n => n.TextContent)).Trim();

    private async Task<ConsoleUser> ReloadAsync() => (await Host.FindUserAsync("jane.doe"))!;
}
