namespace RustDesk.Core.Mail;

/// <summary>
/// SMTP settings saved by an administrator; when the row exists it replaces the <c>Smtp:*</c> configuration
/// (except the pickup folder and the timeout). One row, <see cref="SingletonId"/>.
/// </summary>
public sealed class SmtpSettingsRecord
{
    public const int SingletonId = 1;

    /// <summary>RFC 1035's limit for a host name; the column's length (the rules are <see cref="SmtpSettingsRules"/>).</summary>
    public const int MaxHostLength = 255;
    public const int MaxUserNameLength = 256;
    public const int MaxFromLength = 320;

    public int Id { get; set; } = SingletonId;

    /// <summary>Empty: no server, mail goes to the pickup folder.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; }

    public SmtpSecurity Security { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>The password encrypted with Data Protection (<see cref="SmtpPasswordProtector.Purpose"/>); null: none.</summary>
    public string? ProtectedPassword { get; set; }

    public string From { get; set; } = "";

    public DateTime UpdatedAt { get; set; }

    /// <summary>Id of the administrator who saved the settings last.</summary>
    public string UpdatedBy { get; set; } = "";
}
