using MimeKit;

namespace RustDesk.Core.Mail;

/// <summary>What the console accepts as SMTP settings, from configuration and from the administrators' page alike.</summary>
public static class SmtpSettingsRules
{
    /// <summary>RFC 1035's limit for a host name.</summary>
    public const int MaxHostLength = SmtpSettingsRecord.MaxHostLength;
    public const int MaxUserNameLength = SmtpSettingsRecord.MaxUserNameLength;
    public const int MaxPasswordLength = 1024;
    public const int MaxFromLength = SmtpSettingsRecord.MaxFromLength;
    public const int MinPort = 1;
    public const int MaxPort = 65535;

    /// <summary>True for a DNS host name or an IPv4/IPv6 address (no scheme, port, path or whitespace).</summary>
    public static bool IsValidHost(string? host) =>
        !string.IsNullOrEmpty(host) && host.Length <= MaxHostLength
        && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;

    public static bool IsValidPort(int port) => port is >= MinPort and <= MaxPort;

    /// <summary>True for one mailbox, with or without a display name: <c>Console &lt;console@example.com&gt;</c>.</summary>
    public static bool IsValidFrom(string? from) => TryParseFrom(from, out _);

    public static bool TryParseFrom(string? from, out MailboxAddress mailbox)
    {
        mailbox = null!;
        if (string.IsNullOrWhiteSpace(from) || from.Length > MaxFromLength || from.Any(char.IsControl))
        {
            return false;
        }
        if (!MailboxAddress.TryParse(ParserOptions.Default, from, out var parsed))
        {
            return false;
        }
        var at = parsed.Address.LastIndexOf('@');
        if (at <= 0 || at == parsed.Address.Length - 1 || parsed.Address.Any(char.IsWhiteSpace))
        {
            return false;
        }
        mailbox = parsed;
        return true;
    }
}
