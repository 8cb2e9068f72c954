using Microsoft.EntityFrameworkCore;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Components.Admin;
using static RustDesk.Tests.Core.TwoFactor.TwoFactorTestHelpers;

namespace RustDesk.Tests.Web.Components.Admin;

/// <summary>/admin/users as staff meet it: the grid from the real UserDirectory, and actions through the real service.</summary>
public sealed class UsersPageTests : ConsoleComponentTest
{
    private const string StaffPassword = "staff password 12";
    private ConsoleUser _admin = default!;
    private ConsoleUser _alice = default!;
    private ConsoleUser _bob = default!;
    /// <summary>A signed-in session per user, for tests that sign in without a session of their own.</summary>
    private readonly Dictionary<string, string> _sessions = [];

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://console.example" };

    protected override async Task ArrangeAsync()
    {
        _admin = (await Host.FindUserAsync(DatabaseInitializer.AdminUserName))!;
        _alice = await Host.CreateUserAsync("alice", StaffPassword, email: "alice@example.com");
        _bob = await Host.CreateUserAsync("bob", StaffPassword, email: "bob@example.com");
        foreach (var user in new[] { _admin, _alice })
        {
            _sessions[user.Id] = (await Host.StoreSessionAsync(user.UserName!)).SessionId;
        }
    }

    [Fact]
    public void Render_Administrator_ListsEveryUserAndOffersCreate()
    {
        using var culture = SignIn(_admin, Roles.Administrator);

        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(["admin", "alice", "bob"], RowNames(cut)));
        Assert.Single(cut.FindAll("[data-testid='users-create']"));
        // Not on their own row: staff act on others.
        Assert.Equal(2, cut.FindAll("[data-testid='users-actions']").Count);
    }

    [Fact]
    public void Search_Fragment_NarrowsTheRows()
    {
        using var culture = SignIn(_admin, Roles.Administrator);
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));

        cut.Find("input[data-testid='users-search']").Change("BOB@example");

        cut.WaitForAssertion(() => Assert.Equal(["bob"], RowNames(cut)));
    }

    [Fact]
    public async Task Render_Support_OffersNoAdministratorOnlyActions()
    {
        var support = await Host.CreateUserAsync("helpdesk", StaffPassword, Roles.Support);
        using var culture = SignIn(support, Roles.Support, (await Host.StoreSessionAsync("helpdesk")).SessionId);
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(["admin", "alice", "bob", "helpdesk"], RowNames(cut)));

        Assert.Empty(cut.FindAll("[data-testid='users-create']"));
        Assert.Null(Row(cut, "admin").QuerySelector("[data-testid='users-actions']"));
        Row(cut, "alice").QuerySelector("[data-testid='users-actions'] button")!.Click();

        var popovers = Popovers;
        popovers.WaitForElement("[data-testid='users-action-force-logout']");
        Assert.Single(popovers.FindAll("[data-testid='users-action-edit-email']"));
        Assert.Empty(popovers.FindAll("[data-testid='users-action-edit-profile']"));
        Assert.Empty(popovers.FindAll("[data-testid='users-action-edit-roles']"));
    }

    [Fact]
    public async Task Render_Support_OffersNoActionsOnOtherSupportStaff()
    {
        var support = await Host.CreateUserAsync("helpdesk", StaffPassword, Roles.Support);
        await Host.CreateUserAsync("colleague", StaffPassword, Roles.Support);
        using var culture = SignIn(support, Roles.Support, (await Host.StoreSessionAsync("helpdesk")).SessionId);

        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(["admin", "alice", "bob", "colleague", "helpdesk"], RowNames(cut)));
        Assert.Null(Row(cut, "colleague").QuerySelector("[data-testid='users-actions']"));
        Assert.NotNull(Row(cut, "alice").QuerySelector("[data-testid='users-actions']"));
    }

    [Fact]
    public void ForceLogout_ActorWithoutTwoFactor_AsksThemToTurnItOnFirst()
    {
        using var culture = SignIn(_admin, Roles.Administrator);
        var snackbars = RenderSnackbars();
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));

        ChooseAction(cut, dialogs, "bob", "users-action-force-logout", Text("Users.Action.ForceLogout"));

        snackbars.WaitForAssertion(() => Assert.Contains(Text("Users.Result.ActorNeedsTwoFactor"), snackbars.Markup));
        Assert.Equal("Turn on 2FA for your own account first.", Text("Users.Result.ActorNeedsTwoFactor"));
    }

    [Fact]
    public async Task ForceLogout_UserDeletedMeanwhile_SaysTheUserNoLongerExists()
    {
        using var culture = SignIn(_admin, Roles.Administrator);
        var snackbars = RenderSnackbars();
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));
        await Host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(async u => await u.DeleteAsync((await u.FindByIdAsync(_bob.Id))!));

        ChooseAction(cut, dialogs, "bob", "users-action-force-logout", Text("Users.Action.ForceLogout"));

        snackbars.WaitForAssertion(() => Assert.Contains(Text("Users.Result.TargetNotFound"), snackbars.Markup));
        cut.WaitForAssertion(() => Assert.Equal(["admin", "alice"], RowNames(cut)));
    }

    [Fact]
    public async Task Unlock_LockedUser_IsShownLockedAndSupportUnlocksAfterReVerifying()
    {
        var support = await Host.CreateUserAsync("helpdesk", StaffPassword, Roles.Support);
        var (supportKey, _) = await EnableAsync(Host, support.Id);
        for (var i = 0; i < 10; i++)
        {
            await Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("alice", "wrong " + i));
        }
        var session = await Host.StoreSessionAsync("helpdesk");
        using var culture = SignIn(support, Roles.Support, session.SessionId);
        var snackbars = RenderSnackbars();
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Contains(Text("Users.State.LockedOut"), Row(cut, "alice").TextContent));
        Assert.DoesNotContain(Text("Users.State.LockedOut"), Row(cut, "bob").TextContent);

        ChooseAction(cut, dialogs, "alice", "users-action-unlock", Text("Users.Action.Unlock"));
        dialogs.AnswerReVerification(CodeAt(supportKey, Host));

        snackbars.WaitForAssertion(() => Assert.Contains("alice is unlocked.", snackbars.Markup));
        cut.WaitForAssertion(() => Assert.DoesNotContain(Text("Users.State.LockedOut"), Row(cut, "alice").TextContent));
        Assert.Equal(PasswordCheckStatus.Succeeded,
            (await Host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync("alice", StaffPassword))).Status);
    }

    [Fact]
    public void Render_German_ShowsMudBlazorsOwnTextsInGermanToo()
    {
        using var culture = SignIn(_admin, Roles.Administrator, culture: "de");

        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));
        Assert.Contains("Zeilen pro Seite:", cut.Markup);
        Assert.Contains("1–3 von 3", cut.Markup);
        Assert.DoesNotContain("Rows per page", cut.Markup);
        Assert.Contains("aria-label=\"Nächste Seite\"", cut.Markup);
    }

    [Fact]
    public void Render_UserNotLocked_OffersNoUnlock()
    {
        using var culture = SignIn(_admin, Roles.Administrator);
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));

        Row(cut, "alice").QuerySelector("[data-testid='users-actions'] button")!.Click();

        var popovers = Popovers;
        popovers.WaitForElement("[data-testid='users-action-force-logout']");
        Assert.Empty(popovers.FindAll("[data-testid='users-action-unlock']"));
    }

    [Fact]
    public async Task ResetTwoFactor_AdministratorReVerifies_TurnsTheUsersTwoFactorOff()
    {
        var (adminKey, _) = await EnableAsync(Host, _admin.Id);
        await EnableAsync(Host, _alice.Id);
        var session = await Host.StoreSessionAsync("admin");
        using var culture = SignIn(_admin, Roles.Administrator, session.SessionId);
        var snackbars = RenderSnackbars();
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal("Enabled", Row(cut, "alice").QuerySelector("[data-testid='users-state']")!.GetAttribute("data-2fa")));

        ChooseAction(cut, dialogs, "alice", "users-action-reset-2fa", Text("Users.Action.Reset2fa"));
        dialogs.AnswerReVerification(CodeAt(adminKey, Host));

        snackbars.WaitForAssertion(() => Assert.Contains("2FA of alice reset; alice is signed out everywhere.", snackbars.Markup));
        cut.WaitForAssertion(() => Assert.Equal("NotEnabled", Row(cut, "alice").QuerySelector("[data-testid='users-state']")!.GetAttribute("data-2fa")));
        Assert.False(await Host.WithAsync<SecondFactorVerifier, bool>(s => s.IsEnabledAsync(_alice.Id)));
    }

    [Fact]
    public async Task Search_FromTheLastPage_ShowsTheMatchesFromTheFirst()
    {
        await SeedAsync(60); // with admin, alice and bob: 63 users, three pages of 25
        using var culture = SignIn(_admin, Roles.Administrator);
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(25, RowNames(cut).Count));
        cut.FindAll(".mud-table-pagination-actions button").Last().Click();
        cut.WaitForAssertion(() => Assert.Equal(13, RowNames(cut).Count));

        cut.Find("input[data-testid='users-search']").Change("seeded05");

        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(50, 10).Select(i => $"seeded{i:D3}"), RowNames(cut)));
        // The pager agrees: the first ten of ten.
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(".mud-table-pagination-caption"), c => c.TextContent.Trim().StartsWith("1–10 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Create_WeakPassword_SaysCheckTheValuesAndCreatesNobody()
    {
        using var culture = SignIn(_admin, Roles.Administrator);
        var snackbars = RenderSnackbars();
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));

        FillCreateDialog(cut, dialogs, "carol", "short");

        snackbars.WaitForAssertion(() => Assert.Contains(Text("Users.Result.InvalidInput"), snackbars.Markup));
        Assert.Null(await Host.FindUserAsync("carol"));
    }

    [Fact]
    public async Task Create_AdministratorReVerifies_CreatesTheUserAndListsIt()
    {
        var (adminKey, _) = await EnableAsync(Host, _admin.Id);
        var session = await Host.StoreSessionAsync("admin");
        using var culture = SignIn(_admin, Roles.Administrator, session.SessionId);
        var snackbars = RenderSnackbars();
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));

        FillCreateDialog(cut, dialogs, "carol", "quiet zebra lantern 42");
        dialogs.AnswerReVerification(CodeAt(adminKey, Host));

        cut.WaitForAssertion(() => Assert.Contains("carol", RowNames(cut)));
        snackbars.WaitForAssertion(() => Assert.Contains("User carol created.", snackbars.Markup));
        var carol = await Host.FindUserAsync("carol");
        Assert.NotNull(carol);
        Assert.True(await Host.WithAsync<UserManager<ConsoleUser>, bool>(u => u.CheckPasswordAsync(carol!, "quiet zebra lantern 42")));
    }

    [Fact]
    public async Task Create_WithInvitation_CreatesTheUserWithoutAKnownPasswordAndQueuesTheLink()
    {
        var (adminKey, _) = await EnableAsync(Host, _admin.Id);
        var session = await Host.StoreSessionAsync("admin");
        using var culture = SignIn(_admin, Roles.Administrator, session.SessionId);
        var dialogs = RenderDialogs();
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, RowNames(cut).Count));

        cut.Find("[data-testid='users-create']").Click();
        dialogs.WaitForElement("input[data-testid='users-create-username']").Input("dave");
        dialogs.Find("input[data-testid='users-create-email']").Input("dave@example.com");
        dialogs.Find("input[data-testid='users-create-invite']").Change(true);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("input[data-testid='users-create-password']")));
        dialogs.WaitForElement("[data-testid='users-create-save']:not([disabled])").Click();
        dialogs.AnswerReVerification(CodeAt(adminKey, Host));

        cut.WaitForAssertion(() => Assert.Contains("dave", RowNames(cut)));
        var queued = await Host.WithAsync<ConsoleDbContext, List<string>>(db =>
            db.OutboxMessages.Where(m => m.Category == "invitation").Select(m => m.To).ToListAsync());
        Assert.Equal(["dave@example.com"], queued);
    }

    private void FillCreateDialog(IRenderedComponent<UsersPage> cut, IRenderedComponent<MudDialogProvider> dialogs, string userName, string password)
    {
        cut.Find("[data-testid='users-create']").Click();
        dialogs.WaitForElement("input[data-testid='users-create-username']").Input(userName);
        dialogs.Find("input[data-testid='users-create-password']").Input(password);
        dialogs.WaitForElement("[data-testid='users-create-save']:not([disabled])").Click();
    }

    /// <summary>seeded000.. straight into the database (no password hashing: this is about listing).</summary>
    private Task SeedAsync(int count) =>
        Host.WithAsync<ConsoleDbContext, int>(db =>
        {
            db.Users.AddRange(Enumerable.Range(0, count).Select(i => new ConsoleUser
            {
                UserName = $"seeded{i:D3}", NormalizedUserName = $"SEEDED{i:D3}", SecurityStamp = Guid.NewGuid().ToString(),
                CreatedAt = Host.Time.GetUtcNow().UtcDateTime,
            }));
            return db.SaveChangesAsync();
        });

    [Theory]
    [InlineData(Roles.Administrator, true)]
    [InlineData(Roles.Support, true)]
    [InlineData(Roles.User, false)]
    public void UserMenu_ByRole_OffersUsersToStaffOnly(string role, bool offered)
    {
        using var culture = SignIn(_alice, role);
        var menu = Render<CascadingAuthenticationState>(p => p.AddChildContent<RustDesk.Web.Components.Layout.UserMenu>());

        menu.Find("[data-testid='user-menu'] button").Click();

        var popovers = Popovers;
        popovers.WaitForElement("[data-testid='menu-settings']");
        Assert.Equal(offered, popovers.FindAll("a[data-testid='menu-users'][href='/admin/users']").Count == 1);
        Assert.Equal(role == Roles.Administrator, popovers.FindAll("a[data-testid='menu-audit']").Count == 1);
        Assert.Equal("Signed in as alice", popovers.Find("[data-testid='menu-user']").TextContent.Trim());
    }

    /// <summary>Opens the row's menu, picks the action and confirms the message box with its yes button.</summary>
    private void ChooseAction(IRenderedComponent<UsersPage> cut, IRenderedComponent<MudDialogProvider> dialogs, string userName, string action, string yes)
    {
        Row(cut, userName).QuerySelector("[data-testid='users-actions'] button")!.Click();
        var popovers = Popovers;
        popovers.WaitForElement($"[data-testid='{action}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(dialogs.FindAll("button"), b => b.TextContent.Trim() == yes));
        dialogs.FindAll("button").First(b => b.TextContent.Trim() == yes).Click();
    }

    private static List<string> RowNames(IRenderedComponent<UsersPage> cut) =>
        cut.FindAll("[data-testid='users-row']").Select(r => r.GetAttribute("data-user")!).ToList();

    /// <summary>The grid row (tr) of <paramref name="userName"/>.</summary>
    private static IElement Row(IRenderedComponent<UsersPage> cut, string userName) =>
        cut.Find($"[data-testid='users-row'][data-user='{userName}']").Closest("tr")!;

    /// <summary>Signed in as <paramref name="user"/> on <paramref name="sessionId"/> (by default the session stored for them).</summary>
    private CultureScope SignIn(ConsoleUser user, string role, string? sessionId = null, string culture = "en") =>
        SignedInAs(user, role, sessionId ?? _sessions[user.Id], culture);
}
