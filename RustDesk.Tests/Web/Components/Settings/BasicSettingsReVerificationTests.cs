using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.Settings;

/// <summary>
/// Issue 5 on the Basic tab, for a user with 2FA on: Submit opens the re-verification modal, a wrong code shows the
/// error and saves nothing, a right code (TOTP or backup) saves; Cancel saves nothing. Real Core services on SQLite;
/// the tab is rendered for a session stored in the database, as after signing in.
/// </summary>
public sealed class BasicSettingsReVerificationTests : ConsoleComponentTest
{
    private const string OldAddress = "jane@example.com";
    private const string NewAddress = "jane.new@example.org";

    private ConsoleUser _user = default!;
    private byte[] _key = default!;
    private IReadOnlyList<string> _backupCodes = default!;

    protected override async Task ArrangeAsync()
    {
        _user = await Host.CreateUserAsync("jane.doe", Password, email: OldAddress);
        // Enabled before the session is stored: enabling without a session signs every session out.
        (_key, _backupCodes) = await EnableAsync(Host, _user.Id);
    }

    [Fact]
    public async Task Submit_TwoFactorOn_AsksFirst_WrongCodeSavesNothing_RightCodeSaves()
    {
        using var culture = InEnglish();
        var (provider, cut) = await RenderTabAsync();

        EmailInput(cut).Input(NewAddress);
        Submit(cut);

        // The modal opens, and nothing is stored while it is open.
        provider.WaitForReVerification();
        Assert.Contains(Text("ReVerify.PromptCode"), provider.Markup);
        Assert.Equal(OldAddress, (await ReloadAsync()).Email);
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));

        // A wrong code: the error, the modal stays open, still nothing stored.
        provider.EnterReVerification(WrongCode());

        provider.WaitForAssertion(() => Assert.Equal(Text("ReVerify.Wrong"), provider.ReVerificationError()));
        Assert.True(provider.ReVerificationIsOpen());
        Assert.Equal(OldAddress, (await ReloadAsync()).Email);
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));

        // The right code: the modal closes, the change is made and the tab says so.
        provider.AnswerReVerification(CodeAt(_key, Host));

        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.Equal(NewAddress, (await ReloadAsync()).Email);
        Assert.Equal(NewAddress, EmailInput(cut).GetAttribute("value"));
    }

    [Fact]
    public async Task Submit_FiveDigits_ShowsFormatErrorAndSavesNothing()
    {
        using var culture = InEnglish();
        var (provider, cut) = await RenderTabAsync();
        AlarmCheckbox(cut).Change(true);
        Submit(cut);

        provider.EnterReVerification("12345");

        provider.WaitForAssertion(() => Assert.Equal(Text("Login2fa.InvalidFormat"), provider.ReVerificationError()));
        Assert.True(provider.ReVerificationIsOpen());
        Assert.False((await ReloadAsync()).AlarmNotificationEnabled);
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
    }

    [Fact]
    public async Task Cancel_InTheModal_SavesNothing()
    {
        using var culture = InEnglish();
        var snackbars = RenderSnackbars();
        var (provider, cut) = await RenderTabAsync();
        EmailInput(cut).Input(NewAddress);
        AlarmCheckbox(cut).Change(true);
        Submit(cut);

        provider.CancelReVerification();

        snackbars.WaitForAssertion(() => Assert.Contains(Text("AddressChange.ReVerificationRequired"), snackbars.Markup));
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
        var stored = await ReloadAsync();
        Assert.Equal(OldAddress, stored.Email);
        Assert.False(stored.AlarmNotificationEnabled);
        // Cancel granted nothing: the next Submit asks again.
        Submit(cut);
        provider.WaitForReVerification();
        Assert.Equal(OldAddress, (await ReloadAsync()).Email);
    }

    [Fact]
    public async Task Submit_BackupCodeInTheModal_SavesAndConsumesTheCode()
    {
        using var culture = InEnglish();
        var (provider, cut) = await RenderTabAsync();
        Assert.Equal(6, (await StatusAsync()).UnusedBackupCodes);
        AlarmCheckbox(cut).Change(true);
        Submit(cut);

        provider.AnswerReVerification(_backupCodes[2]);

        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.True((await ReloadAsync()).AlarmNotificationEnabled);
        Assert.Equal(5, (await StatusAsync()).UnusedBackupCodes);
        Assert.Equal(SecondFactorResult.Wrong, await VerifyAsync(Host, _user.Id, _backupCodes[2]));
    }

    [Fact]
    public async Task Submit_AgainWithinTheGrant_SavesWithoutAsking()
    {
        using var culture = InEnglish();
        var (provider, cut) = await RenderTabAsync();
        AlarmCheckbox(cut).Change(true);
        Submit(cut);
        provider.AnswerReVerification(CodeAt(_key, Host));
        cut.WaitForElement("[data-testid='settings-saved']");

        // Four minutes later (the grant lasts five): another change saves at once.
        Host.Time.Advance(TimeSpan.FromMinutes(4));
        AlarmCheckbox(cut).Change(false);
        Submit(cut);

        // Nothing answers a modal here: the change can only be stored if none was needed.
        await WaitUntilStoredAsync(u => !u.AlarmNotificationEnabled);
        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.False(provider.ReVerificationIsOpen());
    }

    [Fact]
    public async Task German_ModalTextAndError_AreGerman()
    {
        using var culture = InGerman();
        var (provider, cut) = await RenderTabAsync();
        AlarmCheckbox(cut).Change(true);
        Submit(cut);

        var code = provider.WaitForReVerification();

        var text = DialogText(provider);
        Assert.Contains("Bestätigen Sie, dass Sie es sind", text);
        Assert.Contains("Bitte geben Sie Ihren 2FA-Code oder einen Backup-Code ein, um diese Einstellungen zu ändern.", text);
        Assert.Equal("2FA-Code", code.LabelOf());
        Assert.Equal("Bestätigen", provider.Find("[data-testid='reverify-submit']").TextContent.Trim());
        Assert.Equal("Abbrechen", provider.Find("[data-testid='reverify-cancel']").TextContent.Trim());
        Assert.DoesNotContain("Verify it's you", text);

        provider.EnterReVerification(WrongCode());

        provider.WaitForAssertion(() => Assert.Equal("Das stimmt nicht. Versuchen Sie es erneut.", provider.ReVerificationError()));
        Assert.False((await ReloadAsync()).AlarmNotificationEnabled);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IRenderedComponent<BasicSettingsTab> Tab)> RenderTabAsync()
    {
        var session = await Host.StoreSessionAsync(_user.UserName!);
        var provider = RenderDialogs();
        var cut = Render<BasicSettingsTab>(p => p.Add(c => c.UserId, _user.Id).Add(c => c.SessionId, session.SessionId));
        cut.WaitForElement("[data-testid='settings-username']");
        return (provider, cut);
    }

    /// <summary>Six digits that the authenticator does not show now (±1 step).</summary>
    private string WrongCode()
    {
        var window = new[] { -1, 0, 1 }.Select(step => CodeAt(_key, Host, step)).ToHashSet();
        return new[] { "000000", "111111", "222222", "333333" }.First(code => !window.Contains(code));
    }

    private static IElement EmailInput(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("input[data-testid='settings-email']");

    private static IElement AlarmCheckbox(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("input[type='checkbox'][data-testid='settings-alarm-notification']");

    private static void Submit(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("[data-testid='settings-submit']").Click();

    private static string DialogText(IRenderedComponent<MudDialogProvider> provider) =>
        string.Concat(provider.Nodes.Select(n => n.TextContent)).Trim();

    private async Task WaitUntilStoredAsync(Func<ConsoleUser, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition(await ReloadAsync()))
        {
            Assert.True(DateTime.UtcNow < deadline, "the change was not stored");
            await Task.Delay(50);
        }
    }

    private async Task<ConsoleUser> ReloadAsync() => (await Host.FindUserAsync("jane.doe"))!;

    private Task<TwoFactorStatus> StatusAsync() =>
        Host.WithAsync<TwoFactorService, TwoFactorStatus>(s => s.GetStatusAsync(_user.Id));
}
