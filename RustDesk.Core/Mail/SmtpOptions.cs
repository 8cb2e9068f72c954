using System.ComponentModel.DataAnnotations;

namespace RustDesk.Core.Mail;

/// <summary>How the connection to the SMTP server is secured; the names are the values of <c>Smtp:Security</c>.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text, no TLS (only for a relay on the same machine or network).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which must be offered (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on port 465, STARTTLS when the server offers it on other ports.</summary>
    Auto,
}

/// <summary>Outgoing mail (configuration section <c>Smtp</c>); settings saved on <c>/admin/smtp</c> override these.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>SMTP server name or IP address; empty: no server, each message is written to <see cref="PickupDirectory"/>.</summary>
    [StringLength(SmtpSettingsRules.MaxHostLength, ErrorMessage = "Smtp:Host may have at most 255 characters.")]
    public string? Host { get; set; }

    /// <summary>SMTP server port: 587 for STARTTLS, 465 for TLS on connect, 25 for a plain relay.</summary>
    [Range(1, 65535, ErrorMessage = "Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured: None, StartTls, SslOnConnect or Auto.</summary>
    [EnumDataType(typeof(SmtpSecurity), ErrorMessage = "Smtp:Security must be None, StartTls, SslOnConnect or Auto.")]
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name for SMTP authentication; empty: no authentication.</summary>
    [StringLength(SmtpSettingsRules.MaxUserNameLength, ErrorMessage = "Smtp:UserName may have at most 256 characters.")]
    public string? UserName { get; set; }

    /// <summary>Password for SMTP authentication (prefer an environment variable, <c>Smtp__Password</c>).</summary>
    [StringLength(SmtpSettingsRules.MaxPasswordLength, ErrorMessage = "Smtp:Password may have at most 1024 characters.")]
    public string? Password { get; set; }

    /// <summary>Sender mailbox, with or without a display name: <c>RustDesk Console &lt;console@example.com&gt;</c>.</summary>
    [Required(ErrorMessage = "Smtp:From is required.")]
    public string From { get; set; } = "RustDesk Console <console@localhost>";

    /// <summary>Folder for the <c>.eml</c> files written when no host is set, relative to <c>Storage:DataDirectory</c>.</summary>
    [Required(ErrorMessage = "Smtp:PickupDirectory is required.")]
    public string PickupDirectory { get; set; } = "mail";

    /// <summary>
    /// Hours an <c>.eml</c> file stays in <see cref="PickupDirectory"/> before the outbox worker deletes it: the files
    /// hold sign-in codes and invitation links in clear.
    /// </summary>
    [Range(1, 8760, ErrorMessage = "Smtp:PickupRetentionHours must be between 1 and 8760.")]
    public int PickupRetentionHours { get; set; } = 24;

    /// <summary>Seconds one SMTP conversation (connect, authenticate, send) may take before it counts as failed.</summary>
    [Range(1, 300, ErrorMessage = "Smtp:TimeoutSeconds must be between 1 and 300.")]
    public int TimeoutSeconds { get; set; } = 15;
}

/// <summary>Retries of the mail outbox (configuration section <c>Smtp:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Smtp:Outbox";

    /// <summary>Wait after the first failed attempt, in seconds; each further failure doubles it.</summary>
    [Range(1, 3600, ErrorMessage = "Smtp:Outbox:FirstRetrySeconds must be between 1 and 3600.")]
    public int FirstRetrySeconds { get; set; } = 15;

    /// <summary>Longest wait between two attempts, in seconds.</summary>
    [Range(1, 86400, ErrorMessage = "Smtp:Outbox:MaxRetrySeconds must be between 1 and 86400.")]
    public int MaxRetrySeconds { get; set; } = 1800;

    /// <summary>Attempts after which a message is given up as failed.</summary>
    [Range(1, 100, ErrorMessage = "Smtp:Outbox:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long a claimed message stays reserved for one console instance; longer than an SMTP timeout.</summary>
    [Range(10, 3600, ErrorMessage = "Smtp:Outbox:ClaimSeconds must be between 10 and 3600.")]
    public int ClaimSeconds { get; set; } = 120;

    /// <summary>How often the worker looks for due messages without being woken (messages queued by other instances).</summary>
    [Range(1, 3600, ErrorMessage = "Smtp:Outbox:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 30;

    /// <summary>Wait before attempt number <paramref name="failedAttempts"/> + 1: 15 s, 30 s, 1 min … capped.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var seconds = Math.Min((double)FirstRetrySeconds * Math.Pow(2, exponent), MaxRetrySeconds);
        return TimeSpan.FromSeconds(seconds);
    }
}
