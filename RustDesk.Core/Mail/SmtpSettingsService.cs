using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Mail;

/// <summary>
/// The SMTP settings in effect (saved settings override <c>Smtp:*</c>), and the administrators' view and changes of
/// them. Every administrator method takes the acting user's id and session id, and refuses an ended session
/// (<see cref="Sessions.SessionGuard"/>) and anyone but an active administrator.
/// </summary>
public sealed class SmtpSettingsService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    Sessions.SessionGuard guard,
    IOptions<SmtpOptions> options,
    DatabaseSettings database,
    SmtpPasswordProtector protector,
    MailOutbox outbox,
    TimeProvider time,
    ILogger<SmtpSettingsService> logger)
{
    /// <summary>The pickup folder as an absolute path (<c>Smtp:PickupDirectory</c> under <c>Storage:DataDirectory</c>).</summary>
    public string PickupDirectory => Path.GetFullPath(options.Value.PickupDirectory, database.DataDirectory);

    /// <summary>What the outbox sends with. No permission check: the worker calls it, and it is never shown as is.</summary>
    public async Task<EffectiveSmtpSettings> GetEffectiveAsync(CancellationToken cancellationToken = default)
    {
        var configured = options.Value;
        var saved = await LoadAsync(cancellationToken);
        if (saved is null)
        {
            return new EffectiveSmtpSettings(NullIfEmpty(configured.Host?.Trim()), configured.Port, configured.Security,
                NullIfEmpty(configured.UserName), NullIfEmpty(configured.Password), configured.From,
                configured.TimeoutSeconds, PickupDirectory, SmtpSettingsSource.Configuration);
        }
        var password = saved.ProtectedPassword is null ? null : protector.Unprotect(saved.ProtectedPassword);
        return new EffectiveSmtpSettings(NullIfEmpty(saved.Host), saved.Port, saved.Security, NullIfEmpty(saved.UserName),
            password, saved.From, configured.TimeoutSeconds, PickupDirectory, SmtpSettingsSource.Database);
    }

    /// <summary>The settings for the administrators' page; the password only as "set" or not.</summary>
    public async Task<SmtpSettingsForEdit> GetForEditAsync(string actingUserId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureAdministratorAsync(actingUserId, sessionId, "view the SMTP settings", cancellationToken);
        var saved = await LoadAsync(cancellationToken);
        if (saved is null)
        {
            var c = options.Value;
            return new SmtpSettingsForEdit(c.Host?.Trim() ?? "", c.Port, c.Security, c.UserName ?? "", !string.IsNullOrEmpty(c.Password),
                c.From, SmtpSettingsSource.Configuration, PickupDirectory, null);
        }
        return new SmtpSettingsForEdit(saved.Host, saved.Port, saved.Security, saved.UserName, saved.ProtectedPassword is not null,
            saved.From, SmtpSettingsSource.Database, PickupDirectory, saved.UpdatedAt);
    }

    /// <summary>Checks every field and saves all of them, or nothing and an error per wrong field.</summary>
    public async Task<SmtpSaveResult> SaveAsync(string actingUserId, string? sessionId, SmtpSettingsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await EnsureAdministratorAsync(actingUserId, sessionId, "change the SMTP settings", cancellationToken);
        var host = input.Host?.Trim() ?? "";
        var userName = input.UserName?.Trim() ?? "";
        var from = input.From?.Trim() ?? "";
        var errors = new Dictionary<SmtpSettingsField, SmtpSettingsError>();
        if (host.Length > 0 && !SmtpSettingsRules.IsValidHost(host))
        {
            errors[SmtpSettingsField.Host] = SmtpSettingsError.HostInvalid;
        }
        if (!SmtpSettingsRules.IsValidPort(input.Port))
        {
            errors[SmtpSettingsField.Port] = SmtpSettingsError.PortOutOfRange;
        }
        if (!Enum.IsDefined(input.Security))
        {
            errors[SmtpSettingsField.Security] = SmtpSettingsError.SecurityInvalid;
        }
        if (userName.Length > SmtpSettingsRules.MaxUserNameLength || userName.Any(char.IsControl))
        {
            errors[SmtpSettingsField.UserName] = SmtpSettingsError.UserNameTooLong;
        }
        if (!input.ClearPassword && input.NewPassword is { Length: > SmtpSettingsRules.MaxPasswordLength })
        {
            errors[SmtpSettingsField.Password] = SmtpSettingsError.PasswordTooLong;
        }
        if (!SmtpSettingsRules.IsValidFrom(from))
        {
            errors[SmtpSettingsField.From] = SmtpSettingsError.FromInvalid;
        }
        if (errors.Count > 0)
        {
            return new SmtpSaveResult(errors);
        }

        var saved = await db.SmtpSettings.SingleOrDefaultAsync(s => s.Id == SmtpSettingsRecord.SingletonId, cancellationToken);
        var keptPassword = saved is not null ? saved.ProtectedPassword
            : string.IsNullOrEmpty(options.Value.Password) ? null : protector.Protect(options.Value.Password);
        if (saved is null)
        {
            saved = new SmtpSettingsRecord();
            db.SmtpSettings.Add(saved);
        }
        saved.Host = host;
        saved.Port = input.Port;
        saved.Security = input.Security;
        saved.UserName = userName;
        saved.ProtectedPassword = input.ClearPassword ? null
            : string.IsNullOrEmpty(input.NewPassword) ? keptPassword
            : protector.Protect(input.NewPassword);
        saved.From = from;
        saved.UpdatedAt = time.GetUtcNow().UtcDateTime;
        saved.UpdatedBy = actingUserId;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Administrator {UserId} changed the SMTP settings: {Host}:{Port} ({Security}), authentication {Authentication}",
            actingUserId, host.Length == 0 ? "(pickup folder)" : host, input.Port, input.Security, userName.Length > 0 ? "on" : "off");
        return SmtpSaveResult.Saved;
    }

    /// <summary>Queues the test message to <paramref name="to"/> through the outbox, like every other message.</summary>
    public async Task<SmtpTestResult> SendTestAsync(string actingUserId, string? sessionId, string? to, string culture = "en", CancellationToken cancellationToken = default)
    {
        await EnsureAdministratorAsync(actingUserId, sessionId, "send a test message", cancellationToken);
        var address = to?.Trim();
        if (!EmailRules.IsValid(address))
        {
            return new SmtpTestResult(null, SmtpSettingsError.RecipientInvalid);
        }
        var id = await outbox.EnqueueAsync(MailTemplates.TestMessage(culture, address!), cancellationToken);
        logger.LogInformation("Administrator {UserId} queued SMTP test message {MessageId}", actingUserId, id);
        return new SmtpTestResult(id, null);
    }

    /// <summary>The last failed delivery attempt (error text and time), for administrators.</summary>
    public async Task<MailDeliveryError?> GetLastDeliveryErrorAsync(string actingUserId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureAdministratorAsync(actingUserId, sessionId, "view mail delivery errors", cancellationToken);
        return await outbox.GetLastErrorAsync(cancellationToken);
    }

    private Task<SmtpSettingsRecord?> LoadAsync(CancellationToken cancellationToken) =>
        db.SmtpSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == SmtpSettingsRecord.SingletonId, cancellationToken);

    private async Task EnsureAdministratorAsync(string actingUserId, string? sessionId, string action, CancellationToken cancellationToken)
    {
        await guard.RequireAsync(actingUserId, sessionId, cancellationToken: cancellationToken);
        var user = string.IsNullOrEmpty(actingUserId) ? null : await users.FindByIdAsync(actingUserId);
        if (user is null || user.Status != UserStatus.Active || !await users.IsInRoleAsync(user, Roles.Administrator))
        {
            logger.LogWarning("Refused user {UserId} the right to {Action}: not an active administrator", actingUserId, action);
            throw new UnauthorizedAccessException($"Only administrators may {action}.");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
