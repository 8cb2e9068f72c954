using System.Net;
using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;
using RustDesk.Tests.Web.Http.ClientApi;

namespace RustDesk.Tests.Web.Browser;

/// <summary>A RustDesk client signs in through the API; its owner sees it on the devices tab, signs it out there, and the client's token stops working.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientApiBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task ClientSignedInThroughTheApi_IsListedOnTheDevicesTab_AndRevokingItEndsTheToken()
    {
        // Arrange: the client signs admin in through the API; admin signs in in the browser.
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var token = (await client.LoginAsync(ClientApiHttp.PasswordStep("admin", ConsoleAppFactory.AdminPassword))).AccessToken!;
        Assert.Equal(HttpStatusCode.OK, (await client.CurrentUserAsync(token)).Status);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        // Act: open the devices tab and sign the client out.
        await Page.GotoAsync("/settings/devices");
        await WaitForInteractiveAsync(Page);
        var clientRow = Page.Locator("tr", new() { Has = Page.Locator("[data-testid='device-row'][data-kind='rustdesk-client']") });
        await Assertions.Expect(Page.GetByTestId("device-row")).ToHaveCountAsync(2);
        await Assertions.Expect(clientRow).ToContainTextAsync("RustDesk client “JANE-PC” on Windows (ID 123456789)");
        await clientRow.GetByTestId("device-revoke").ClickAsync();

        // Assert: the row is gone and the client's token is refused, so the client drops it.
        await Assertions.Expect(Page.GetByTestId("device-row")).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.CurrentUserAsync(token)).Status);
    }
}
