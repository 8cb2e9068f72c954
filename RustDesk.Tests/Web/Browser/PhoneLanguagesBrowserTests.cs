using Microsoft.Playwright;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// The settings and mail pages on a phone (390×844) in both languages: German labels are longer (compounds such as
/// "Sicherheitseinstellungen"), so nothing may run off the screen or be cut off inside a tab, and a long pickup folder
/// path in the mail status wraps.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLanguagesBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    /// <summary>What reaches past the right edge of the screen (a click's ripple animation is not layout).</summary>
    private const string Overflowing = "() => [...document.querySelectorAll('body *')].filter(e => !e.classList.contains('mud-ripple-effect') && e.getBoundingClientRect().right > window.innerWidth + 1)" +
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + '[' + Math.round(e.getBoundingClientRect().right) + ']').join(' | ')";

    /// <summary>Tab labels whose text is wider than their tab (cut off).</summary>
    private const string ClippedTabs = "() => [...document.querySelectorAll('.rd-tabs .mud-tab')].filter(t => t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > t.clientHeight + 1)" +
        ".map(t => t.innerText.replace(/\\s+/g, ' ') + ' [' + t.scrollWidth + '/' + t.clientWidth + ']').join(' | ')";

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public async Task SettingsAndMailPages_AtPhoneSize_FitTheScreenWithWholeTabLabels(string language)
    {
        await Page.SetViewportSizeAsync(390, 844);
        await Context.AddCookiesAsync(
        [
            new() { Name = "rd.culture", Value = Uri.EscapeDataString($"c={language}|uic={language}"), Url = BaseUrl },
        ]);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);

        foreach (var (path, field) in new[] { ("/settings", "settings-email"), ("/settings/security", "password-current"), ("/settings/devices", null) })
        {
            await Page.GotoAsync(path);
            await WaitForInteractiveAsync(Page);
            if (field is not null)
            {
                await ConsolePage.WaitForInteractiveAsync(Page, field);
            }
            else
            {
                await Page.GetByTestId("device-row").First.WaitForAsync();
            }
            Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
            Assert.Equal("", await Page.EvaluateAsync<string>(ClippedTabs));
        }

        // The test host's pickup folder is a long temp path: the status names it and wraps.
        await Page.GotoAsync("/admin/smtp");
        await Page.GetByTestId("smtp-status").WaitForAsync();
        await WaitForInteractiveAsync(Page);
        await Assertions.Expect(Page.GetByTestId("smtp-status")).ToContainTextAsync(App.DataDirectory);
        Assert.Equal("", await Page.EvaluateAsync<string>(Overflowing));
    }
}
