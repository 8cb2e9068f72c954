using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Settings;

namespace RustDesk.Tests.Web.Components.Settings;

public sealed class BasicSettingsTabTests : ConsoleComponentTest
{

    [Fact]
    public async Task Render_ExistingUser_ShowsUserNameRoleAndEmail()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, Roles.Support, "jane@example.com");

        var (_, cut) = await RenderTabAsync(user);

        Assert.Equal("jane.doe", cut.Find("[data-testid='settings-username']").TextContent.Trim());
        var badge = Assert.Single(cut.FindAll("[data-testid='role-badge']"));
        Assert.Equal(Text("Role.Support"), badge.TextContent.Trim());
        Assert.Equal("jane@example.com", EmailInput(cut).GetAttribute("value"));
    }

    [Fact]
    public async Task Render_Administrator_ShowsAdministratorBadge()
    {
        using var culture = InEnglish();
        var admin = (await Host.FindUserAsync("admin"))!;

        var (_, cut) = await RenderTabAsync(admin);

        Assert.Equal("admin", cut.Find("[data-testid='settings-username']").TextContent.Trim());
        var badge = Assert.Single(cut.FindAll("[data-testid='role-badge']"));
        Assert.Equal(Text("Role.Administrator"), badge.TextContent.Trim());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("jane@localhost")]
    [InlineData("Jane <jane@example.com>")]
    public async Task Submit_InvalidEmail_ShowsMessageAndSavesNothing(string email)
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: "jane@example.com");
        var (_, cut) = await RenderTabAsync(user);

        EmailInput(cut).Input(email);
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal(Text("SettingsError.EmailInvalid"), ErrorUnder(cut, "settings-email")));
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
        Assert.Equal("jane@example.com", (await Host.FindUserAsync("jane.doe"))!.Email);
    }

    [Fact]
    public async Task Submit_ValidEmail_SavesItAndShowsSaved()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: "jane@example.com");
        var (provider, cut) = await RenderTabAsync(user);

        EmailInput(cut).Input("  jane.doe@example.org ");
        Submit(cut);
        // Without 2FA, changing the address is confirmed with the current password.
        provider.AnswerReVerification(Password);

        cut.WaitForElement("[data-testid='settings-saved']");
        var saved = (await Host.FindUserAsync("jane.doe"))!;
        Assert.Equal("jane.doe@example.org", saved.Email);
        Assert.False(saved.EmailConfirmed);
        Assert.Null(ErrorUnder(cut, "settings-email"));
    }

    [Fact]
    public async Task Submit_EmptyEmail_RemovesTheAddress()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: "jane@example.com");
        var (provider, cut) = await RenderTabAsync(user);

        EmailInput(cut).Input("");
        Submit(cut);
        // Removing the address is a change of address: confirmed with the current password.
        provider.AnswerReVerification(Password);

        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.Null((await Host.FindUserAsync("jane.doe"))!.Email);
    }

    [Theory]
    [InlineData("taken@example.com")]
    [InlineData("Taken@Example.COM")] // same address in another case: the normaliser makes them one
    public async Task Submit_EmailOfAnotherUser_ShowsTakenAndSavesNothing(string email)
    {
        using var culture = InEnglish();
        await Host.CreateUserAsync("other", Password, email: "taken@example.com");
        var user = await Host.CreateUserAsync("jane.doe", Password, email: "jane@example.com");
        var (_, cut) = await RenderTabAsync(user);

        EmailInput(cut).Input(email);
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal(Text("SettingsError.EmailTaken"), ErrorUnder(cut, "settings-email")));
        Assert.Empty(cut.FindAll("[data-testid='settings-saved']"));
        Assert.Equal("jane@example.com", (await Host.FindUserAsync("jane.doe"))!.Email);
        Assert.Equal("taken@example.com", (await Host.FindUserAsync("other"))!.Email);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Submit_AlarmToggled_SavesAlarm(bool before, bool after)
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", Password, email: "jane@example.com");
        await SetAlarmAsync(user.Id, before);
        var (_, cut) = await RenderTabAsync(user);
        Assert.Equal(before, AlarmCheckbox(cut).IsChecked());

        AlarmCheckbox(cut).Change(after);
        Submit(cut);

        cut.WaitForElement("[data-testid='settings-saved']");
        Assert.Equal(after, (await Host.FindUserAsync("jane.doe"))!.AlarmNotificationEnabled);
        Assert.Equal("jane@example.com", (await Host.FindUserAsync("jane.doe"))!.Email);
    }

    [Fact]
    public async Task Render_GermanCulture_ShowsGermanLabels()
    {
        using var culture = InGerman();
        var user = await Host.CreateUserAsync("jane.doe", Password);

        var (_, cut) = await RenderTabAsync(user);

        Assert.Equal("Benutzername", cut.Find("[data-testid='settings-username']").PreviousElementSibling!.TextContent.Trim());
        Assert.Equal("Senden", cut.Find("[data-testid='settings-submit']").TextContent.Trim());
        Assert.Equal("E-Mail", EmailInput(cut).LabelOf());
        Assert.Equal("E-Mail-Benachrichtigung bei Alarmereignissen aktivieren", AlarmCheckbox(cut).LabelOf());
        Assert.Equal("Benutzer", cut.Find("[data-testid='role-badge']").TextContent.Trim());
        Assert.DoesNotContain("User Name", cut.Markup);
    }

    [Fact]
    public async Task Submit_InvalidEmailInGerman_ShowsGermanMessage()
    {
        using var culture = InGerman();
        var user = await Host.CreateUserAsync("jane.doe", Password);
        var (_, cut) = await RenderTabAsync(user);

        EmailInput(cut).Input("kein-gueltiger-wert");
        Submit(cut);

        cut.WaitForAssertion(() => Assert.Equal(
            "Geben Sie eine gültige E-Mail-Adresse ein (höchstens 254 Zeichen).", ErrorUnder(cut, "settings-email")));
    }

    /// <summary>
    /// Renders the tab as the settings page does: for a session stored in the database (the re-verification modal
    /// verifies against it), with the dialog provider the modal opens in.
    /// </summary>
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IRenderedComponent<BasicSettingsTab> Tab)> RenderTabAsync(ConsoleUser user)
    {
        var session = await Host.StoreSessionAsync(user.UserName!);
        var provider = RenderDialogs();
        var cut = Render<BasicSettingsTab>(p => p.Add(c => c.UserId, user.Id).Add(c => c.SessionId, session.SessionId));
        // The tab loads the user asynchronously from the database.
        cut.WaitForElement("[data-testid='settings-username']");
        return (provider, cut);
    }

    private static IElement EmailInput(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("input[data-testid='settings-email']");

    private static IElement AlarmCheckbox(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("input[type='checkbox'][data-testid='settings-alarm-notification']");

    private static void Submit(IRenderedComponent<BasicSettingsTab> cut) =>
        cut.Find("[data-testid='settings-submit']").Click();

    private static string? ErrorUnder(IRenderedComponent<BasicSettingsTab> cut, string testId) =>
        cut.Find($"input[data-testid='{testId}']").FieldError();

    private Task<IdentityResult> SetAlarmAsync(string userId, bool enabled) =>
        Host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(async users =>
        {
            var user = (await users.FindByIdAsync(userId))!;
            user.AlarmNotificationEnabled = enabled;
            return await users.UpdateAsync(user);
        });
}
