using Microsoft.AspNetCore.DataProtection;

namespace RustDesk.Core.Mail;

/// <summary>Where the effective settings come from.</summary>
public enum SmtpSettingsSource
{
    /// <summary>The <c>Smtp:*</c> configuration keys.</summary>
    Configuration,
    /// <summary>Settings saved on the administrators' page.</summary>
    Database,
}

/// <summary>The settings the outbox sends with: saved settings when there are any, otherwise configuration.</summary>
public sealed record EffectiveSmtpSettings(
    string? Host,
    int Port,
    SmtpSecurity Security,
    string? UserName,
    string? Password,
    string From,
    int TimeoutSeconds,
    string PickupDirectory,
    SmtpSettingsSource Source)
{
    /// <summary>False: no host, each message is written as an <c>.eml</c> file to <see cref="PickupDirectory"/>.</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    // The password must not reach a log line through the record's generated ToString.
    public override string ToString() =>
        $"{(UsesSmtp ? $"smtp://{Host}:{Port} ({Security})" : "pickup " + PickupDirectory)} from {From} ({Source})";
}

/// <summary>What the administrators' page shows: everything but the password, of which only its presence.</summary>
public sealed record SmtpSettingsForEdit(
    string Host,
    int Port,
    SmtpSecurity Security,
    string UserName,
    bool PasswordSet,
    string From,
    SmtpSettingsSource Source,
    string PickupDirectory,
    DateTime? UpdatedAt);

/// <summary>What an administrator submits. <see cref="NewPassword"/> empty keeps the password unless <see cref="ClearPassword"/>.</summary>
public sealed class SmtpSettingsInput
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    /// <summary>A replacement password; null or empty keeps the current one.</summary>
    public string? NewPassword { get; set; }

    /// <summary>Removes the password (wins over <see cref="NewPassword"/>).</summary>
    public bool ClearPassword { get; set; }

    public string? From { get; set; }
}

public enum SmtpSettingsField
{
    Host,
    Port,
    Security,
    UserName,
    Password,
    From,
    TestRecipient,
}

public enum SmtpSettingsError
{
    HostInvalid,
    PortOutOfRange,
    SecurityInvalid,
    UserNameTooLong,
    PasswordTooLong,
    FromInvalid,
    RecipientInvalid,
}

/// <summary>The outcome of a save: empty <see cref="Errors"/> means saved; otherwise nothing was saved.</summary>
public sealed record SmtpSaveResult(IReadOnlyDictionary<SmtpSettingsField, SmtpSettingsError> Errors)
{
    public static readonly SmtpSaveResult Saved = new(new Dictionary<SmtpSettingsField, SmtpSettingsError>());

    public bool Succeeded => Errors.Count == 0;
}

/// <summary>The outcome of "Send test message": the outbox id, or why nothing was queued.</summary>
public sealed record SmtpTestResult(long? OutboxId, SmtpSettingsError? Error)
{
    public bool Queued => OutboxId is not null;
}

/// <summary>The last failed delivery attempt, for administrators.</summary>
public sealed record MailDeliveryError(long OutboxId, string Category, string Error, DateTime At);

/// <summary>Encrypts the SMTP password at rest with its own Data Protection purpose.</summary>
public sealed class SmtpPasswordProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "RustDesk.Mail.SmtpPassword.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
