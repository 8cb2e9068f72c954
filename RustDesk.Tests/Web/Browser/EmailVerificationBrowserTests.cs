using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Browser;

/// <summary>Email login verification end to end: the console's real outbox worker sends to an SMTP listener on 127.0.0.1.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmailVerificationBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const string Address = "admin@example.com";
    private readonly SmtpListener _smtp = new();

    protected override IDictionary<string, string?>? Settings => _smtp.Settings;

    public override async Task InitializeAsync()
    {
        await _smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task EnableWithAddressConfirmation_ThenSignInWithEmailedCode_AndBack()
    {
        // Arrange + Act 1: email verification turned on through the address-confirmation dialog.
        var confirmation = await EnableEmailVerificationAsync();

        // Assert 1
        await Assertions.Expect(Input(Page, "settings-email-verification")).ToBeCheckedAsync();

        // Act 2: sign out and in; the console asks for the emailed code.
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/email"));
        await Assertions.Expect(Page.GetByTestId("email-masked")).ToHaveValueAsync("a***@example.com");
        var signInMail = await _smtp.WaitForMessageAsync(m => To(m, Address) && m.MessageId != confirmation.MessageId);
        await Page.GetByTestId("email-code").FillAsync(CodeIn(signInMail));
        await Page.GetByTestId("email-code-submit").ClickAsync();

        // Assert 2: signed in.
        await WaitForSettingsAsync(Page);

        // Act 3: sign out, sign in, and go Back from the email page.
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/email"));
        await Page.GetByTestId("email-code-back").ClickAsync();

        // Assert 3: back on the password page, and the abandoned sign-in is gone.
        await Page.WaitForURLAsync(u => u.EndsWith("/account/login", StringComparison.Ordinal));
        await Page.GetByTestId("login-username").WaitForAsync();
        await Page.GotoAsync("/account/login/email");
        await Assertions.Expect(Page.GetByTestId("email-code-error")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("email-code")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task WrongCode_ShowsAnErrorAndStaysOnThePage()
    {
        var confirmation = await EnableEmailVerificationAsync();
        await ConsolePage.SignOutAsync(Page);
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await Page.WaitForURLAsync(u => u.Contains("/account/login/email"));
        var code = CodeIn(await _smtp.WaitForMessageAsync(m => To(m, Address) && m.MessageId != confirmation.MessageId));

        await Page.GetByTestId("email-code").FillAsync(code == "000000" ? "111111" : "000000");
        await Page.GetByTestId("email-code-submit").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("email-code-error")).ToBeVisibleAsync();
        Assert.Contains("/account/login/email", Page.Url);
        await Assertions.Expect(Page.GetByTestId("email-code-resend")).ToBeDisabledAsync();
    }


    [Fact]
    public async Task SecurityChanges_SendNotificationsToTheUsersAddress()
    {
        // Arrange: admin with an address (confirmed with the password, as without 2FA).
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Input(Page, "settings-email").FillAsync(Address);
        await Page.GetByTestId("settings-submit").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Assertions.Expect(Page.GetByTestId("settings-saved")).ToBeVisibleAsync();

        // Act: change the password on the Security tab.
        await ConsolePage.ChangePasswordAsync(Page, ConsoleAppFactory.AdminPassword, "a brand new passphrase");

        // Assert: the notification arrives, saying what happened, from where, and what to do.
        var mail = await _smtp.WaitForMessageAsync(m => To(m, Address) && (m.Subject ?? "").Contains("password was changed", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1", mail.TextBody);
        Assert.Contains("If this was not you", mail.TextBody);
    }

    /// <summary>Signs admin in, types the address, ticks verification and confirms with the mailed code.</summary>
    private async Task<MimeMessage> EnableEmailVerificationAsync()
    {
        await SignInAsync(Page, "admin", ConsoleAppFactory.AdminPassword);
        await WaitForSettingsAsync(Page);
        await Assertions.Expect(Input(Page, "settings-email-verification")).ToBeDisabledAsync();
        await Input(Page, "settings-email").FillAsync(Address);
        await Input(Page, "settings-email-verification").CheckAsync();
        await Page.GetByTestId("settings-submit").ClickAsync();
        await ConsolePage.ReVerifyAsync(Page, ConsoleAppFactory.AdminPassword);
        await Input(Page, "email-confirm-code").WaitForAsync();
        var confirmation = await _smtp.WaitForMessageAsync(m => To(m, Address));
        await Input(Page, "email-confirm-code").FillAsync(CodeIn(confirmation));
        await Page.GetByTestId("email-confirm-submit").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("settings-saved")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("snackbar")).ToContainTextAsync($"The address {Address} is confirmed and saved.");
        return confirmation;
    }

    private static bool To(MimeMessage message, string address) =>
        message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase));

    private static string CodeIn(MimeMessage message) =>
        Regex.Match(message.TextBody ?? "", @"(?<![0-9])[0-9]{6}(?![0-9])").Value;
}
