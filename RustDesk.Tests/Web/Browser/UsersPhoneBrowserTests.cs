using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// The users grid on a phone (390×844): one labelled card per user, the actions button on screen, and the longest
/// user names and emails, right-to-left and emoji display names wrapping inside their card.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UsersPhoneBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    /// <summary>Elements reaching past the right edge (a click's ripple is animation, not layout).</summary>
    private const string Overflowing = "() => [...document.querySelectorAll('body *')].filter(e => !e.classList.contains('mud-ripple-effect') && e.getBoundingClientRect().right > window.innerWidth + 1)" +
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + '[' + Math.round(e.getBoundingClientRect().right) + ']').join(' | ')";

    [Fact]
    public async Task UsersGrid_AtPhoneSize_ShowsLabelledCardsWithReachableActionsAndNoOverflow()
    {
        // Arrange: the longest name and email, a right-to-left and an emoji display name.
        var longName = new string('W', ConsoleUser.MaxUserNameLength);
        var longEmail = new string('e', ConsoleUser.MaxEmailLength - "@example.com".Length) + "@example.com";
        await CreateUserAsync(longName, longEmail, string.Concat(Enumerable.Repeat("مرحبا بالعالم ", 8))[..ConsoleUser.MaxDisplayNameLength]);
        await CreateUserAsync("emoji", "emoji@example.com", string.Concat(Enumerable.Repeat("😀🚀👩‍💻", 12)));
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // Act
        await Page.GotoAsync("/admin/users");
        await Expect(Page.Locator($"[data-testid='users-row'][data-user='{longName}']")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);

        // Assert: cards, not a table: no header row, and every value carries its column's name.
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
        var grid = Page.GetByTestId("users-grid");
        await Expect(grid.Locator("thead")).ToHaveCSSAsync("display", "none");
        var card = grid.Locator("tbody tr").Filter(new() { Has = Page.Locator($"[data-testid='users-row'][data-user='{longName}']") });
        var labels = await card.Locator("td").EvaluateAllAsync<string[]>("tds => tds.map(td => getComputedStyle(td, '::before').content)");
        Assert.Contains("\"Email\"", labels);
        Assert.Contains("\"User name\"", labels);
        var email = card.Locator("td").Filter(new() { HasText = longEmail });
        var emailBox = await email.BoundingBoxAsync();
        Assert.True(emailBox!.X >= 0 && emailBox.X + emailBox.Width <= 390, $"the email cell spans {emailBox.X}..{emailBox.X + emailBox.Width}");

        // The actions button of each card is on screen and opens its menu.
        var actions = card.GetByTestId("users-actions").Locator("button");
        await actions.ScrollIntoViewIfNeededAsync();
        var box = await actions.BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= 390, $"the actions button is at {box.X}..{box.X + box.Width}");
        await actions.ClickAsync();
        await Expect(Page.GetByTestId("users-action-edit-email")).ToBeVisibleAsync();
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
    }

    private async Task CreateUserAsync(string userName, string email, string displayName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = email, DisplayName = displayName, CreatedAt = DateTime.UtcNow };
        var created = await users.CreateAsync(user, "a long enough passphrase 42");
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, Roles.User);
    }
}
