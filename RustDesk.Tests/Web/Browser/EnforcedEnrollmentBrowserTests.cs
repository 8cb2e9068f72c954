using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

[Collection(BrowserCollection.Name)]
public sealed class EnforcedEnrollmentBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task EnforcedUser_IsTakenIntoEnrollment_ThenReachesTheConsole()
    {
        // Arrange: staff enforce 2FA for admin, who has none.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
            await db.Users.Where(u => u.UserName == "admin").ExecuteUpdateAsync(s => s.SetProperty(u => u.TwoFactorEnforced, true));
        }

        // Act 1: sign in; the password step leads straight into enrollment, and other pages lead back there.
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/enrol-2fa"));
        await Page.GotoAsync("/settings/security");
        await Page.WaitForURLAsync(u => u.Contains("/enrol-2fa"));
        await WaitForInteractiveAsync(Page);

        // Act 2: enroll with an independent TOTP implementation, after confirming the password (a stolen cookie cannot enroll).
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("tfa-secret").WaitForAsync();
        var secret = (await Page.GetByTestId("tfa-secret").InnerTextAsync()).Replace(" ", "");
        await Input(Page, "tfa-code").FillAsync(await ExternalTools.TotpAsync(secret));
        await Page.GetByTestId("tfa-confirm").ClickAsync();
        await Page.GetByTestId("backup-codes").WaitForAsync();
        await Page.GetByTestId("backup-codes-done").ClickAsync();

        // Assert: the console is reachable now, with 2FA on.
        await Page.WaitForURLAsync(u => u.Contains("/settings"));
        await WaitForInteractiveAsync(Page);
        await Assertions.Expect(Page.GetByTestId("tfa-state")).ToHaveAttributeAsync("data-state", "enabled");
    }
}
