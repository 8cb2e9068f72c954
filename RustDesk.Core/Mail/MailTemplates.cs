using System.Globalization;
using System.Net;
using System.Resources;
using System.Text;

namespace RustDesk.Core.Mail;

/// <summary>
/// The console's messages in English or German (<c>MailText.resx</c>, <c>MailText.de.resx</c>), each as plain text
/// and HTML. Every inserted value is HTML-encoded.
/// </summary>
public static class MailTemplates
{
    /// <summary>Longest browser description put into a message; User-Agent headers can be long and are attacker-chosen.</summary>
    public const int MaxDetailLength = 200;

    private static readonly ResourceManager Resources = new("RustDesk.Core.Mail.MailText", typeof(MailTemplates).Assembly);
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de");

    /// <summary>"de", "de-DE" … → German; anything else (including null and unknown names) → English.</summary>
    public static CultureInfo CultureFor(string? culture) =>
        culture is not null && (culture.Equals("de", StringComparison.OrdinalIgnoreCase) || culture.StartsWith("de-", StringComparison.OrdinalIgnoreCase))
            ? German : English;

    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/>, formatted with <paramref name="args"/>.</summary>
    public static string Text(string? culture, string key, params object?[] args)
    {
        var info = CultureFor(culture);
        var value = Resources.GetString(key, info) ?? throw new KeyNotFoundException($"MailText has no key '{key}'.");
        return args.Length == 0 ? value : string.Format(info, value, args);
    }

    /// <summary>The message of "Send test message" on the administrators' SMTP page.</summary>
    public static MailMessageContent TestMessage(string? culture, string to) =>
        Build(culture, to, MailCategories.SmtpTest, "Test.Subject", "Test.Headline",
            [Text(culture, "Test.Body"), Text(culture, "Test.NoAction")]);

    /// <summary>
    /// A code by email: what it is for, the code, when it expires, where the request came from, and what to do if it
    /// was not the recipient. <paramref name="ipAddress"/> and <paramref name="browser"/> may be null (shown as unknown).
    /// </summary>
    public static MailMessageContent EmailCodeMessage(string? culture, string to, string code, EmailCodePurpose purpose,
        int expiresInMinutes, string? ipAddress, string? browser)
    {
        var prefix = purpose == EmailCodePurpose.SignIn ? "Code.SignIn." : "Code.ConfirmAddress.";
        var unknown = Text(culture, "Common.Unknown");
        return Build(culture, to, MailCategories.EmailCode, prefix + "Subject", prefix + "Headline",
            [
                Text(culture, prefix + "Intro"),
                Text(culture, "Code.Expires", expiresInMinutes),
                Text(culture, prefix + "Origin", Detail(ipAddress) ?? unknown, Detail(browser) ?? unknown),
                Text(culture, prefix + "NotYou"),
            ],
            highlight: code);
    }

    /// <summary>
    /// A security message: <paramref name="subjectKey"/> and <paramref name="headlineKey"/> are MailText keys;
    /// <paramref name="paragraphs"/> are finished texts (see <see cref="Text"/>); <paramref name="highlight"/>, when
    /// given (a code), stands out after the first paragraph. A footer says the message is automatic.
    /// </summary>
    public static MailMessageContent Build(string? culture, string to, string category, string subjectKey, string headlineKey,
        IReadOnlyList<string> paragraphs, string? highlight = null)
    {
        var subject = Text(culture, subjectKey);
        var headline = Text(culture, headlineKey);
        var footer = Text(culture, "Common.Footer");
        var blocks = new List<(string Text, bool Highlight)>();
        for (var i = 0; i < paragraphs.Count; i++)
        {
            blocks.Add((paragraphs[i], false));
            if (i == 0 && highlight is not null)
            {
                blocks.Add((highlight, true));
            }
        }
        if (paragraphs.Count == 0 && highlight is not null)
        {
            blocks.Add((highlight, true));
        }
        return new MailMessageContent(to, subject, RenderText(headline, blocks, footer),
            RenderHtml(CultureFor(culture).TwoLetterISOLanguageName, subject, headline, blocks, footer), category);
    }

    private static string RenderText(string headline, List<(string Text, bool Highlight)> blocks, string footer)
    {
        var text = new StringBuilder();
        text.Append(headline).Append("\n\n");
        foreach (var (value, highlight) in blocks)
        {
            text.Append(highlight ? "    " + value : value).Append("\n\n");
        }
        text.Append("-- \n").Append(footer).Append('\n');
        return text.ToString();
    }

    private static string RenderHtml(string language, string subject, string headline, List<(string Text, bool Highlight)> blocks, string footer)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(E(language)).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(subject)).Append("</title></head>\n")
            .Append("<body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2937;line-height:1.5;margin:0;padding:24px;\">\n")
            .Append("<div style=\"max-width:560px;margin:0 auto;\">\n")
            .Append("<h1 style=\"font-size:20px;margin:0 0 16px;\">").Append(E(headline)).Append("</h1>\n");
        foreach (var (value, highlight) in blocks)
        {
            html.Append(highlight
                ? "<p style=\"font-size:28px;font-weight:bold;letter-spacing:6px;font-family:Consolas,Menlo,monospace;margin:16px 0;\">"
                : "<p style=\"margin:0 0 12px;\">").Append(E(value)).Append("</p>\n");
        }
        html.Append("<hr style=\"border:none;border-top:1px solid #e5e7eb;margin:24px 0 12px;\">\n")
            .Append("<p style=\"font-size:12px;color:#6b7280;margin:0;\">").Append(E(footer)).Append("</p>\n")
            .Append("</div>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>A request detail (IP, browser) as one short line; null when empty.</summary>
    private static string? Detail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var line = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length <= MaxDetailLength ? line : line[..MaxDetailLength] + "…";
    }
}
