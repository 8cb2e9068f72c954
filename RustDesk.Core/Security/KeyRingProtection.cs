using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;

namespace RustDesk.Core.Security;

/// <summary>The certificate that encrypts the Data Protection key ring at rest (configuration section <c>DataProtection</c>).</summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// A PFX (PKCS#12) file with an RSA certificate and its private key, relative to the app's folder. Set, every new
    /// key of the ring is stored encrypted with it; keep the file out of the database's backups.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX file's password (prefer the environment variable <c>DataProtection__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }
}

/// <summary>
/// The console's Data Protection: one key ring for every instance, in the database (<c>DataProtectionKeys</c>), which
/// protects the TOTP keys, the session and antiforgery cookies, the saved SMTP password, queued mail bodies and the
/// server keys (<see cref="ServerSecrets"/>). Without a certificate the ring is stored in clear, so a copy of the
/// database decrypts all of those: start-up warns then and says what to set.
/// </summary>
public static class KeyRingProtection
{
    public const string ApplicationName = "RustDesk.Console";

    /// <summary>Registers Data Protection; a certificate that cannot be used stops start-up with a message naming the key.</summary>
    public static IDataProtectionBuilder AddConsoleDataProtection(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        var options = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<ConsoleDbContext>();
        var certificate = LoadCertificate(options, contentRootPath);
        if (certificate is not null)
        {
            // Decryption looks in the machine's certificate stores unless told about this certificate.
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        services.AddHostedService(sp => new KeyRingReport(sp, certificate, sp.GetRequiredService<ILogger<KeyRingReport>>()));
        return builder;
    }

    /// <summary>The configured certificate, or null when none is configured.</summary>
    public static X509Certificate2? LoadCertificate(KeyRingOptions options, string contentRootPath)
    {
        const string pathKey = KeyRingOptions.Section + ":CertificatePath";
        const string passwordKey = KeyRingOptions.Section + ":CertificatePassword";
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return string.IsNullOrEmpty(options.CertificatePassword) ? null
                : throw new InvalidOperationException($"Configuration key '{passwordKey}' is set but '{pathKey}' is not: set the path of the PFX file too.");
        }
        var path = Path.GetFullPath(options.CertificatePath.Trim(), contentRootPath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Configuration key '{pathKey}' names a file that does not exist: {path}");
        }
        X509Certificate2 certificate;
        try
        {
            // Ephemeral: the private key stays in memory, nothing is written to the machine's key stores (not on macOS).
            var flags = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, flags);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                $"The certificate file of '{pathKey}' ({path}) could not be opened with '{passwordKey}': the password is wrong, or the file is not a PFX (PKCS#12) file.");
        }
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The certificate of '{pathKey}' ({path}) must be an RSA certificate with its private key in the PFX file.");
        }
        return certificate;
    }

    /// <summary>Says at start-up whether the key ring is encrypted at rest, and what to do when it is not.</summary>
    private sealed class KeyRingReport(IServiceProvider services, X509Certificate2? certificate, ILogger<KeyRingReport> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (certificate is null)
            {
                logger.LogWarning(
                    "The Data Protection key ring is stored unencrypted in the database (table DataProtectionKeys): a copy of the database holds the keys " +
                    "that decrypt the TOTP keys, session cookies, the saved SMTP password and queued mail bodies with their codes. Set " +
                    "DataProtection:CertificatePath (a PFX file with an RSA certificate and key) and DataProtection:CertificatePassword to encrypt it, " +
                    "and keep that file out of the database's backups (README, \"Protect the secrets at rest\", shows how to make one). ASP.NET Core's " +
                    "own warning \"No XML encryptor configured\" is the same condition and goes away with it.");
                return;
            }
            logger.LogInformation("The Data Protection key ring is encrypted with the certificate {Thumbprint} (expires {NotAfter:u})",
                certificate.Thumbprint, certificate.NotAfter.ToUniversalTime());
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
                var clear = await db.DataProtectionKeys.CountAsync(k => k.Xml != null && k.Xml.Contains("<masterKey"), cancellationToken);
                if (clear > 0)
                {
                    logger.LogWarning(
                        "{Count} Data Protection keys were created before DataProtection:CertificatePath was set and stay in clear in the database: data " +
                        "protected with them (e.g. TOTP keys enrolled then) can still be decrypted from a copy of the database. Keys created from now on are encrypted.",
                        clear);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not count unencrypted Data Protection keys: {Error}", e.Message);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
