using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Data;
using RustDesk.Core.Security;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// The first sign-in with the generated administrator password, and the invitation page: both choose a password with
/// the strength meter beside it, and a guessable one is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class FirstPasswordBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Chosen = "zebra lantern quietly";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" };

    private string GeneratedAdminPassword()
    {
        var password = GeneratedPassword().Match(App.Logs.AllText).Groups[1].Value;
        Assert.NotEmpty(password);
        return password;
    }

    [Fact]
    public async Task FirstSignIn_GeneratedPassword_HoldsTheAdministratorUntilAStrongPasswordIsChosen()
    {
        var generated = GeneratedAdminPassword();

        // Signing in lands on the change-password page, and so does every other page.
        await SignInAsync(Page, "admin", generated);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/change-password");
        await Page.GotoAsync("/settings");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/change-password");
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");

        // In-page navigation (the app bar's link) is held too.
        await Page.Locator(".rd-brand").First.ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/change-password");
        await ConsolePage.WaitForInteractiveAsync(Page, "password-current");

        // A guessable password: the meter says so as it is typed, and the change is refused.
        await Page.GetByTestId("password-current").FillAsync(generated);
        await Page.GetByTestId("password-new").FillAsync("password123");
        await Expect(Page.GetByTestId("password-strength")).ToContainTextAsync("too easy to guess");
        await Page.GetByTestId("password-confirm").FillAsync("password123");
        await Page.GetByTestId("password-submit").ClickAsync();
        await Expect(Page.GetByText("This password is too easy to guess")).ToBeVisibleAsync();
        Assert.Equal("/account/change-password", new Uri(Page.Url).AbsolutePath);

        // A strong one opens the console.
        await Page.GetByTestId("password-new").FillAsync(Chosen);
        await Expect(Page.GetByTestId("password-strength")).ToContainTextAsync("good to use");
        await Page.GetByTestId("password-confirm").FillAsync(Chosen);
        await Page.GetByTestId("password-submit").ClickAsync();
        await WaitForSettingsAsync(Page);
        await Expect(Page.GetByTestId("snackbar")).ToContainTextAsync("Your password was changed.");
        await Page.WaitForURLAsync(url => new Uri(url).Query == "");
        await Page.ReloadAsync();
        await WaitForSettingsAsync(Page);
        Assert.Equal("/settings", new Uri(Page.Url).AbsolutePath);

        // The generated password is gone, the chosen one signs in straight to the console.
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", generated);
        await Expect(Page.GetByTestId("login-error")).ToBeVisibleAsync();
        await SignInAsync(Page, "admin", Chosen);
        await WaitForSettingsAsync(Page);
    }

    [Fact]
    public async Task Invitation_MeterFollowsTypingAndAGoodPasswordIsSet()
    {
        var token = await InviteAsync("margarethe", "margarethe.huber@example.com");

        await Page.GotoAsync("/account/invitation?token=" + Uri.EscapeDataString(token));
        await WaitForInteractiveAsync(Page);
        await Page.GetByTestId("invitation-password").FillAsync("Huber-Margarethe-1");
        await Expect(Page.GetByTestId("password-strength")).ToContainTextAsync("too easy to guess");
        await Expect(Page.GetByTestId("password-strength")).ToHaveAttributeAsync("data-acceptable", "false");
        await Page.GetByTestId("invitation-password").FillAsync(Chosen);
        await Expect(Page.GetByTestId("password-strength")).ToHaveAttributeAsync("data-acceptable", "true");
        await Page.GetByTestId("invitation-confirm").FillAsync(Chosen);
        await Page.GetByTestId("invitation-submit").ClickAsync();

        await Expect(Page.GetByTestId("invitation-message")).ToHaveTextAsync("Your password is set. You can sign in now.");
        // The audit names where it was accepted from: the page's request, carried from its prerendering to the circuit.
        var accepted = await AcceptedAuditAsync("margarethe");
        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(accepted.IpAddress)), accepted.IpAddress);
        Assert.Equal(await Page.EvaluateAsync<string>("navigator.userAgent"), accepted.UserAgent);
        await SignInAsync(Page, "margarethe", Chosen);
        await WaitForSettingsAsync(Page);
    }

    /// <summary>An invited user and their link, as InvitationService leaves them (the mail itself is tested in Core).</summary>
    private async Task<string> InviteAsync(string userName, string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = email, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, OpaqueKey.New())).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
        var token = OpaqueKey.New();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        db.Invitations.Add(new Invitation { UserId = user.Id, TokenHash = OpaqueKey.Hash(token), CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddDays(3) });
        await db.SaveChangesAsync();
        return token;
    }

    private async Task<RustDesk.Core.Audit.AuditEvent> AcceptedAuditAsync(string userName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        return Assert.Single(db.AuditEvents.Where(e => e.Kind == RustDesk.Core.Audit.AuditKinds.InvitationAccepted && e.TargetName == userName));
    }

    [GeneratedRegex(@"generated password (\S+) \.")]
    private static partial Regex GeneratedPassword();
}
