using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RustDesk.Core.Mail;

/// <summary>
/// The pickup folder holds every message in clear, sign-in codes and invitation links included. The outbox worker
/// calls <see cref="PurgeAsync"/> on each pass, which deletes <c>.eml</c> files (and half-written <c>.partial</c>
/// ones) older than <see cref="SmtpOptions.PickupRetentionHours"/>, and <see cref="ReportAsync"/> once at start, which
/// warns while mail goes to the folder. Age comes from the time in the file name (the console's clock), or the
/// file's own time for names the console did not write.
/// </summary>
public sealed class PickupFolderRetention(
    IServiceScopeFactory scopes,
    IOptions<SmtpOptions> options,
    TimeProvider time,
    ILogger<PickupFolderRetention> logger)
{
    /// <summary>Deletes expired files of the pickup folder; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var folder = await PickupDirectoryAsync(effective: false, cancellationToken);
        if (folder is null || !Directory.Exists(folder))
        {
            return 0;
        }
        var cutoff = time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(options.Value.PickupRetentionHours);
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (!file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(".eml.partial", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var written = PickupDirectoryMailTransport.WrittenAt(file) ?? File.GetLastWriteTimeUtc(file);
            if (written >= cutoff)
            {
                continue;
            }
            try
            {
                File.Delete(file);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not delete the expired pickup file {Path}: {Error}", file, e.Message);
            }
        }
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} pickup files older than {Hours} hours from {Folder}", deleted, options.Value.PickupRetentionHours, folder);
        }
        return deleted;
    }

    /// <summary>Warns, while no SMTP host is set (in configuration or on /admin/smtp), that the pickup folder holds codes in clear.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken = default)
    {
        if (await PickupDirectoryAsync(effective: true, cancellationToken) is { } folder)
        {
            logger.LogWarning(
                "No SMTP host is configured: mail is written as .eml files to {Folder}. These files hold sign-in codes and invitation links in clear; " +
                "they are deleted after {Hours} hours (Smtp:PickupRetentionHours). Set Smtp:Host (or the mail settings at /admin/smtp) to send mail through a server.",
                folder, options.Value.PickupRetentionHours);
        }
    }

    /// <summary>The folder; with <paramref name="effective"/>, only while mail is actually written there.</summary>
    private async Task<string?> PickupDirectoryAsync(bool effective, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<SmtpSettingsService>();
        if (!effective)
        {
            return settings.PickupDirectory;
        }
        var current = await settings.GetEffectiveAsync(cancellationToken);
        return current.UsesSmtp ? null : current.PickupDirectory;
    }
}
