using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>Messages (MudBlazor snackbars) never hide what the user has to press next: a dialog's buttons.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SnackbarBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 860)]
    public async Task CopyKey_InTheEnableDialog_MessageDoesNotCoverTheDialogsButtons(int width, int height)
    {
        await Page.SetViewportSizeAsync(width, height);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Page.GetByTestId("tfa-enable").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Page.GetByTestId("tfa-qr").WaitForAsync();

        await Page.GetByTestId("tfa-secret-copy").ClickAsync();

        var snackbar = Page.Locator(".mud-snackbar").First;
        await snackbar.WaitForAsync();
        // Wait for the slide-in to end, so the box measured is where the message rests.
        await Page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => s.getAnimations().length === 0)");
        var message = await snackbar.BoundingBoxAsync();
        Assert.NotNull(message);
        foreach (var button in new[] { "tfa-cancel", "tfa-confirm", "tfa-code" })
        {
            var box = await Page.GetByTestId(button).BoundingBoxAsync();
            Assert.NotNull(box);
            var overlaps = message.X < box.X + box.Width && box.X < message.X + message.Width
                && message.Y < box.Y + box.Height && box.Y < message.Y + message.Height;
            Assert.False(overlaps, $"the message ({message.X},{message.Y} {message.Width}×{message.Height}) covers {button} ({box.X},{box.Y} {box.Width}×{box.Height})");
        }
    }
}
