using RustDesk.Core.EmailVerification;
using System.Globalization;
using System.Resources;
using RustDesk.Core.Mail;

namespace RustDesk.Tests.Core.Mail;

public sealed class MailTemplatesTests
{
    private static readonly ResourceManager Texts = new("RustDesk.Core.Mail.MailText", typeof(MailTemplates).Assembly);

    [Fact]
    public void EmailCodeMessage_SignInInEnglish_SaysCodeExpiryOriginAndWhatToDo()
    {
        var message = MailTemplates.EmailCodeMessage("en", "jane@example.com", "123456", EmailCodePurpose.SignIn, 10, "203.0.113.7", "Firefox on Linux");

        Assert.Equal(("jane@example.com", "email-code", "Your RustDesk Console sign-in code"), (message.To, message.Category, message.Subject));
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains("123456", body);
            Assert.Contains("10 minutes", body);
            Assert.Contains("203.0.113.7", body);
            Assert.Contains("Firefox on Linux", body);
            Assert.Contains("change it at once and tell your administrator", body);
        }
        Assert.DoesNotContain("123456", message.Subject);
    }

    [Fact]
    public void EmailCodeMessage_German_IsGerman()
    {
        var message = MailTemplates.EmailCodeMessage("de", "jane@example.com", "654321", EmailCodePurpose.SignIn, 10, "203.0.113.7", "Chrome on Windows");

        Assert.Equal("Ihr Anmeldecode für RustDesk Console", message.Subject);
        Assert.Contains("Der Code läuft in 10 Minuten ab", message.TextBody);
        Assert.Contains("IP-Adresse 203.0.113.7", message.TextBody);
        Assert.Contains("Ändern Sie es sofort", message.TextBody);
        Assert.Contains("<html lang=\"de\">", message.HtmlBody);
        Assert.DoesNotContain("expires", message.TextBody);
    }

    [Theory]
    [InlineData("de-DE", "Ihr Anmeldecode für RustDesk Console")]
    [InlineData("en-US", "Your RustDesk Console sign-in code")]
    [InlineData("fr", "Your RustDesk Console sign-in code")]
    [InlineData("not a culture", "Your RustDesk Console sign-in code")]
    [InlineData(null, "Your RustDesk Console sign-in code")]
    public void EmailCodeMessage_AnyCultureName_FallsBackToEnglishUnlessGerman(string? culture, string subject)
    {
        Assert.Equal(subject, MailTemplates.EmailCodeMessage(culture, "j@example.com", "1", EmailCodePurpose.SignIn, 10, null, null).Subject);
    }

    [Fact]
    public void EmailCodeMessage_ConfirmAddress_SaysWhatTheCodeIsFor()
    {
        var message = MailTemplates.EmailCodeMessage("en", "jane@example.com", "123456", EmailCodePurpose.ConfirmAddress, 10, null, null);

        Assert.Equal("Confirm your email address for RustDesk Console", message.Subject);
        Assert.Contains("confirm that this address is yours", message.TextBody);
        Assert.Contains("IP address unknown with unknown", message.TextBody);
    }

    [Fact]
    public void EmailCodeMessage_MarkupInBrowserAndIp_IsHtmlEncoded()
    {
        var message = MailTemplates.EmailCodeMessage("en", "jane@example.com", "<b>1</b>", EmailCodePurpose.SignIn, 10,
            "\"><img src=x>", "<script>alert('x')</script> & co");

        Assert.DoesNotContain("<script>", message.HtmlBody);
        Assert.DoesNotContain("<img", message.HtmlBody);
        Assert.DoesNotContain("<b>1</b>", message.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co", message.HtmlBody);
        Assert.Contains("<script>alert('x')</script> & co", message.TextBody);
    }

    [Fact]
    public void EmailCodeMessage_HugeBrowserDescription_IsCutShort()
    {
        var message = MailTemplates.EmailCodeMessage("en", "jane@example.com", "123456", EmailCodePurpose.SignIn, 10, "203.0.113.7", new string('x', 5000));

        Assert.DoesNotContain(new string('x', MailTemplates.MaxDetailLength + 1), message.TextBody);
        Assert.Contains(new string('x', MailTemplates.MaxDetailLength), message.TextBody);
    }

    [Fact]
    public void TestMessage_English_HasSubjectAndBothBodies()
    {
        var message = MailTemplates.TestMessage("en", "ops@example.com");

        Assert.Equal(("RustDesk Console: test message", MailCategories.SmtpTest), (message.Subject, message.Category));
        Assert.Contains("test message", message.TextBody);
        Assert.StartsWith("<!DOCTYPE html>", message.HtmlBody);
    }

    [Fact]
    public void MailText_GermanResource_HasEveryKeyTranslatedWithTheSamePlaceholders()
    {
        var english = Texts.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        var german = Texts.GetResourceSet(CultureInfo.GetCultureInfo("de"), createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

        Assert.NotEmpty(english);
        Assert.Equal(english.Keys.Order(), german.Keys.Order());
        foreach (var (key, value) in english)
        {
            Assert.NotEqual(value, german[key]);
            Assert.Equal(Placeholders(value), Placeholders(german[key]));
        }
    }

    private static string[] Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+[^}]*\}").Select(m => m.Value).Order().ToArray();
}
