using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RustDesk.Core.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Outgoing mail: <c>Smtp:*</c> options, the outbox, its worker (a hosted service, started by the host), the SMTP
    /// and pickup-folder transports, and the administrators' SMTP settings.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.Host) || SmtpSettingsRules.IsValidHost(o.Host.Trim()),
                "Smtp:Host must be a host name or an IP address (no scheme, port or spaces), or empty for the pickup folder.")
            .Validate(o => SmtpSettingsRules.IsValidFrom(o.From),
                "Smtp:From must be one mailbox, e.g. 'RustDesk Console <console@example.com>'.")
            .Validate(o => o.PickupDirectory.IndexOfAny(Path.GetInvalidPathChars()) < 0,
                "Smtp:PickupDirectory is not a valid path.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxRetrySeconds >= o.FirstRetrySeconds,
                "Smtp:Outbox:MaxRetrySeconds must not be less than Smtp:Outbox:FirstRetrySeconds.")
            .ValidateOnStart();

        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<SmtpPasswordProtector>();
        services.TryAddSingleton<OutboxBodyProtector>();
        services.TryAddSingleton<SmtpMailTransport>();
        services.TryAddSingleton<PickupDirectoryMailTransport>();
        services.TryAddSingleton<PickupFolderRetention>();
        services.TryAddSingleton<MailTransportSelector>();
        services.TryAddScoped<MailOutbox>();
        services.TryAddScoped<SmtpSettingsService>();
        // One worker per process; tests resolve it and call ProcessDueAsync instead of starting the host.
        services.TryAddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());
        return services;
    }
}
