using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.Accounts.Settings;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Admin;
using RustDesk.Web.Components.Settings;
using RustDesk.Web.Components.Shared;
using RustDesk.Web.Hosting;

namespace RustDesk.Tests.Web.Components.Shared;

/// <summary>The strength meter beside new-password fields: computed by Core's estimator, updated as the user types.</summary>
public sealed class PasswordStrengthMeterTests : ConsoleComponentTest
{

    private static IElement Meter<T>(IRenderedComponent<T> cut) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.Find("[data-testid='password-strength']");

    private IRenderedComponent<PasswordStrengthMeter> RenderMeter(string? password) =>
        Render<PasswordStrengthMeter>(p => p
            .Add(m => m.Password, password)
            .Add(m => m.Evaluate, value => Service<ScopedRunner>()
                .RunAsync<PasswordStrengthService, PasswordVerdict>(s => s.EvaluateAsync(value, "jonathan.kowalski", "jonathan.kowalski@example.com"))));

    [Fact]
    public void Meter_CommonPassword_ShowsVeryWeakAndWhy()
    {
        using var culture = InEnglish();

        var cut = RenderMeter("password123");

        cut.WaitForAssertion(() => Assert.Equal("false", Meter(cut).GetAttribute("data-acceptable")));
        Assert.Equal("0", Meter(cut).GetAttribute("data-score"));
        Assert.Contains(Text("PasswordStrength.VeryWeak"), Meter(cut).TextContent);
        Assert.Contains(Text("PasswordStrength.TooWeak"), Meter(cut).TextContent);
    }

    [Fact]
    public void Meter_FieldShowsItsOwnError_NamesOnlyTheStrength()
    {
        using var culture = InEnglish();
        var cut = RenderMeter("password123");
        cut.WaitForAssertion(() => Assert.Contains(Text("PasswordStrength.TooWeak"), Meter(cut).TextContent));

        cut.Render(p => p.Add(m => m.FieldShowsError, true));

        cut.WaitForAssertion(() => Assert.DoesNotContain(Text("PasswordStrength.TooWeak"), Meter(cut).TextContent));
        Assert.Equal(Text("PasswordStrength.VeryWeak"), cut.Find("[data-testid='password-strength-text']").TextContent.Trim());
    }

    [Fact]
    public void Meter_PasswordChanges_FollowsTheTyping()
    {
        using var culture = InEnglish();
        var cut = RenderMeter("");
        Assert.Equal("", Meter(cut).TextContent.Trim());

        cut.Render(p => p.Add(m => m.Password, "kowalski-jonathan-77"));
        cut.WaitForAssertion(() => Assert.Equal("false", Meter(cut).GetAttribute("data-acceptable")));

        cut.Render(p => p.Add(m => m.Password, "correct horse battery staple"));
        cut.WaitForAssertion(() => Assert.Equal("true", Meter(cut).GetAttribute("data-acceptable")));
        Assert.Equal("4", Meter(cut).GetAttribute("data-score"));
        Assert.Contains(Text("PasswordStrength.VeryStrong"), Meter(cut).TextContent);

        cut.Render(p => p.Add(m => m.Password, "abc"));
        cut.WaitForAssertion(() => Assert.Contains(Text("PasswordStrength.TooShort", PasswordRules.MinLength), Meter(cut).TextContent));
    }

    [Fact]
    public void Meter_German_SaysWhyInGerman()
    {
        using var culture = InGerman();

        var cut = RenderMeter("qwertyuiop");

        cut.WaitForAssertion(() => Assert.Contains("zu leicht zu erraten", Meter(cut).TextContent));
        Assert.Contains("Sehr schwach", Meter(cut).TextContent);
    }

    [Fact]
    public async Task SecurityTab_TypingANewPassword_UpdatesTheMeterWithTheUsersOwnWords()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jonathan.kowalski", "Tall-Cactus-Mirror-2026", email: "jonathan.kowalski@example.com");
        var session = await Host.StoreSessionAsync(user.UserName!);
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, user.Id).Add(c => c.SessionId, session.SessionId));

        cut.Find("input[data-testid='password-new']").Input("kowalski-jonathan-77");
        cut.WaitForAssertion(() => Assert.Contains(Text("PasswordStrength.TooWeak"), Meter(cut).TextContent));

        cut.Find("input[data-testid='password-new']").Input("zebra lantern quietly");
        cut.WaitForAssertion(() => Assert.Equal("true", Meter(cut).GetAttribute("data-acceptable")));
    }

    [Fact]
    public async Task SecurityTab_SubmitTooWeak_ShowsTheReasonUnderTheNewPassword()
    {
        using var culture = InEnglish();
        var user = await Host.CreateUserAsync("jane.doe", "Tall-Cactus-Mirror-2026");
        var session = await Host.StoreSessionAsync(user.UserName!);
        var cut = Render<SecuritySettingsTab>(p => p.Add(c => c.UserId, user.Id).Add(c => c.SessionId, session.SessionId));

        cut.Find("input[data-testid='password-current']").Input("Tall-Cactus-Mirror-2026");
        cut.Find("input[data-testid='password-new']").Input("password123");
        cut.Find("input[data-testid='password-confirm']").Input("password123");
        cut.Find("[data-testid='password-submit']").Click();

        cut.WaitForAssertion(() => Assert.Contains(Text("SettingsError.PasswordTooWeak"), cut.Markup));
    }

    [Fact]
    public void CreateUserDialog_InitialPassword_ShowsTheMeterAsTyped()
    {
        using var culture = SignInAdministrator(Host);
        var dialogs = OpenCreateDialog();

        dialogs.Find("input[data-testid='users-create-username']").Input("margarethe");
        dialogs.Find("input[data-testid='users-create-password']").Input("Margarethe2026");
        dialogs.WaitForAssertion(() => Assert.Equal("false", Meter(dialogs).GetAttribute("data-acceptable")));

        dialogs.Find("input[data-testid='users-create-password']").Input("zebra lantern quietly");
        dialogs.WaitForAssertion(() => Assert.Equal("true", Meter(dialogs).GetAttribute("data-acceptable")));
    }

    [Fact]
    public void CreateUserDialog_InviteWithoutPublicBaseUrl_SaysAnAdministratorMustSetItAndCannotSave()
    {
        using var culture = SignInAdministrator(Host);
        var dialogs = OpenCreateDialog();

        dialogs.Find("input[data-testid='users-create-username']").Input("dave");
        dialogs.Find("input[data-testid='users-create-email']").Input("dave@example.com");
        dialogs.Find("input[data-testid='users-create-invite']").Change(true);

        dialogs.WaitForAssertion(() => Assert.Contains("Console:PublicBaseUrl", dialogs.Find("[data-testid='users-create-invite-unavailable']").TextContent));
        Assert.True(dialogs.Find("[data-testid='users-create-save']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task CreateUserDialog_InviteWithPublicBaseUrl_OffersTheInvitation()
    {
        await using var host = await new CoreHost(new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://console.example" }).InitializeAsync();
        using var culture = SignInAdministrator(host);
        var dialogs = OpenCreateDialog();

        dialogs.Find("input[data-testid='users-create-username']").Input("dave");
        dialogs.Find("input[data-testid='users-create-email']").Input("dave@example.com");
        dialogs.Find("input[data-testid='users-create-invite']").Change(true);

        dialogs.WaitForElement("[data-testid='users-create-save']:not([disabled])");
        Assert.Empty(dialogs.FindAll("[data-testid='users-create-invite-unavailable']"));
    }

    private CultureScope SignInAdministrator(CoreHost host)
    {
        var admin = host.FindUserAsync("admin").GetAwaiter().GetResult()!;
        var auth = Ctx.AddAuthorization();
        auth.SetAuthorized(admin.UserName!);
        auth.SetRoles(Roles.Administrator);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
        return Ctx.AddConsoleTestServices(host);
    }

    private IRenderedComponent<MudDialogProvider> OpenCreateDialog()
    {
        var dialogs = RenderDialogs();
        var page = Render<UsersPage>();
        page.WaitForElement("[data-testid='users-create']").Click();
        dialogs.WaitForElement("input[data-testid='users-create-username']");
        return dialogs;
    }
}
