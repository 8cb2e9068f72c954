using AngleSharp.Dom;
using Bunit;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;

namespace RustDesk.Tests.Web.Components.Settings;

public sealed class SecuritySettingsTabTests : ConsoleComponentTest
{
    private const string OldPassword = "correct horse battery";
    private const string NewPassword = "staple of the new era";

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_ShowsErrorUnderCurrentAndKeepsPassword()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);
        var cut = await RenderTabAsync(user);

        Fill(cut, "not the password", NewPassword, NewPassword);
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal(Text("SettingsError.PasswordWrong"), ErrorUnder(cut, "password-current")));
        Assert.Null(ErrorUnder(cut, "password-new"));
        Assert.Null(ErrorUnder(cut, "password-confirm"));
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(OldPassword));
        Assert.Equal(PasswordCheckStatus.Failed, await CheckAsync(NewPassword));
    }

    [Fact]
    public async Task ChangePassword_NewPasswordOfSevenCharacters_ShowsLengthMessageAndKeepsPassword()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);
        var cut = await RenderTabAsync(user);

        Fill(cut, OldPassword, "1234567", "1234567");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal(Text("SettingsError.PasswordTooShort"), ErrorUnder(cut, "password-new")));
        Assert.Null(ErrorUnder(cut, "password-current"));
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(OldPassword));
        Assert.Equal(PasswordCheckStatus.Failed, await CheckAsync("1234567"));
    }

    [Fact]
    public async Task ChangePassword_ConfirmationDiffers_ShowsMismatchUnderConfirmAndKeepsPassword()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);
        var cut = await RenderTabAsync(user);

        Fill(cut, OldPassword, NewPassword, NewPassword + "!");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal(Text("SettingsError.PasswordMismatch"), ErrorUnder(cut, "password-confirm")));
        Assert.Null(ErrorUnder(cut, "password-current"));
        Assert.Null(ErrorUnder(cut, "password-new"));
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(OldPassword));
        Assert.Equal(PasswordCheckStatus.Failed, await CheckAsync(NewPassword));
    }

    [Fact]
    public async Task ChangePassword_ValidChange_ChangesPasswordAndClearsFields()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);
        var cut = await RenderTabAsync(user);

        Fill(cut, OldPassword, NewPassword, NewPassword);
        Submit(cut);

        cut.WaitForAssertion(() => Assert.All(["password-current", "password-new", "password-confirm"],
            id => Assert.True(string.IsNullOrEmpty(Input(cut, id).GetAttribute("value")), id + " not cleared")));
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(NewPassword));
        Assert.Equal(PasswordCheckStatus.Failed, await CheckAsync(OldPassword));
        Assert.All(["password-current", "password-new", "password-confirm"], id => Assert.Null(ErrorUnder(cut, id)));
    }

    [Fact]
    public async Task ChangePassword_AfterAnError_ClearsTheOldErrorOnSuccess()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);
        var cut = await RenderTabAsync(user);
        Fill(cut, "not the password", NewPassword, NewPassword);
        Submit(cut);
        cut.WaitForAssertion(() => Assert.NotNull(ErrorUnder(cut, "password-current")));

        Fill(cut, OldPassword, NewPassword, NewPassword);
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Null(ErrorUnder(cut, "password-current")));
        Assert.Equal(PasswordCheckStatus.Succeeded, await CheckAsync(NewPassword));
    }

    [Fact]
    public async Task ChangePassword_TenWrongCurrentPasswords_LockTheAccountSayItAndSignThePageOut()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = await RenderTabAsync(user);
        for (var attempt = 1; attempt < 10; attempt++)
        {
            Fill(cut, "not the password " + attempt, NewPassword, NewPassword);
            Submit(cut);
            cut.WaitForAssertion(() => Assert.Equal(Text("SettingsError.PasswordWrong"), ErrorUnder(cut, "password-current")));
            cut.WaitForAssertion(() => Assert.Null(cut.Find("[data-testid='password-submit']").GetAttribute("disabled")));
        }

        Fill(cut, "not the password 10", NewPassword, NewPassword);
        Submit(cut);

        dialogs.WaitForAssertion(() => Assert.Contains(Text("Lockout.SignedOut"), dialogs.Markup));
        Assert.False(await Host.IsValidAsync(_session));
        dialogs.Find(".mud-message-box__yes-button, .mud-dialog-actions button").Click();
        var navigation = Navigation;
        dialogs.WaitForAssertion(() => Assert.EndsWith("/account/login", navigation.Uri));
        Assert.Equal(PasswordCheckStatus.LockedOut, await CheckAsync(OldPassword));
    }

    [Fact]
    public async Task Render_GermanCulture_ShowsGermanLabels()
    {
        using var culture = InGerman();
        var user = await Host.CreateUserAsync("jane.doe", OldPassword);

        var cut = await RenderTabAsync(user);

        Assert.Equal("Aktuelles Passwort", Input(cut, "password-current").LabelOf());
        Assert.Equal("Neues Passwort", Input(cut, "password-new").LabelOf());
        Assert.Equal("Neues Passwort bestätigen", Input(cut, "password-confirm").LabelOf());
        Assert.Equal("Passwort ändern", cut.Find("[data-testid='password-submit']").TextContent.Trim());
        Assert.Contains("Verwenden Sie 8 bis 128 Zeichen.", cut.Markup);
    }

    /// <summary>The session of the tab <see cref="RenderTabAsync"/> rendered.</summary>
    private StoredSession _session = default!;

    private async Task<IRenderedComponent<SecuritySettingsTab>> RenderTabAsync(ConsoleUser user)
    {
        _session = await Host.StoreSessionAsync(user.UserName!);
        return Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, user.Id).Add(c => c.SessionId, _session.SessionId));
    }

    private static IElement Input(IRenderedComponent<SecuritySettingsTab> cut, string testId) =>
        cut.Find($"input[data-testid='{testId}']");

    /// <summary>Types into the three fields; each is found again because every input re-renders the tab.</summary>
    private static void Fill(IRenderedComponent<SecuritySettingsTab> cut, string current, string @new, string confirm)
    {
        Input(cut, "password-current").Input(current);
        Input(cut, "password-new").Input(@new);
        Input(cut, "password-confirm").Input(confirm);
    }

    private static void Submit(IRenderedComponent<SecuritySettingsTab> cut) =>
        cut.Find("[data-testid='password-submit']").Click();

    private static string? ErrorUnder(IRenderedComponent<SecuritySettingsTab> cut, string testId) =>
        Input(cut, testId).FieldError();

    private async Task<PasswordCheckStatus> CheckAsync(string password) =>
        (await Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("jane.doe", password))).Status;
}
