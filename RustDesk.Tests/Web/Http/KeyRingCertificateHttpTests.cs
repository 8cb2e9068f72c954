using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Totp;
using RustDesk.Tests.Infrastructure;
using static RustDesk.Tests.Web.Http.ConsoleHttp;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// DataProtection:CertificatePath / CertificatePassword encrypt the key ring stored in the database; the console keeps
/// working on it across restarts; a wrong certificate setting stops start-up; without one a warning says what to do.
/// </summary>
public sealed class KeyRingCertificateHttpTests : IDisposable
{
    private const string CertificatePassword = "pfx-password-for-tests";
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A self-signed RSA certificate with its key, exported as a password-protected PFX file.</summary>
    private string CreatePfx(string name = "keyring.pfx")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=RustDesk Console key ring (tests)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = _folder.File(name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }

    /// <summary>Settings of one console "installation": its database in the shared folder, the certificate if any.</summary>
    private Dictionary<string, string?> Installation(string? pfx, string? password = CertificatePassword) => new()
    {
        ["ConnectionStrings:Console"] = $"Data Source={_folder.File("console.db")}",
        ["Storage:DataDirectory"] = _folder.Path,
        ["DataProtection:CertificatePath"] = pfx,
        ["DataProtection:CertificatePassword"] = pfx is null ? null : password,
    };

    private static Task<List<string>> KeyXmlAsync(ConsoleAppFactory app) =>
        WithDbAsync(app, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml ?? "").ToListAsync());

    private static async Task<T> WithDbAsync<T>(ConsoleAppFactory app, Func<ConsoleDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ConsoleDbContext>());
    }

    [Fact]
    public async Task Certificate_KeysAreEncryptedAndSessionAndTotpKeySurviveARestart()
    {
        var settings = Installation(CreatePfx());
        string cookie;
        var totpKey = RandomNumberGenerator.GetBytes(20);
        using (var first = new ConsoleAppFactory(settings: settings))
        {
            using var client = first.NewClient();
            cookie = await client.SignInAdminAsync();
            var adminId = await WithDbAsync(first, db => db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync());
            var protectedKey = first.Services.GetRequiredService<TotpSecretProtector>().Protect(totpKey);
            await WithDbAsync(first, async db =>
            {
                db.TotpAuthenticators.Add(new TotpAuthenticator { UserId = adminId, ProtectedSecret = protectedKey });
                return await db.SaveChangesAsync();
            });

            var keys = await KeyXmlAsync(first);
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
                Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
            });
            Assert.DoesNotContain(first.Logs.Lines, l => l.Contains("key ring is stored unencrypted", StringComparison.Ordinal));
        }

        // A restart (or a second instance) with the same database and certificate.
        using var second = new ConsoleAppFactory(settings: settings);
        using var again = second.NewClient(cookies: false);
        var settingsPage = await again.SendAsync(WithCookie(HttpMethod.Get, "/settings", $"{SessionCookie}={cookie}"));
        var stored = await WithDbAsync(second, db => db.TotpAuthenticators.AsNoTracking().Select(a => a.ProtectedSecret).SingleAsync());

        Assert.Equal(HttpStatusCode.OK, settingsPage.StatusCode);
        Assert.Equal(totpKey, second.Services.GetRequiredService<TotpSecretProtector>().Unprotect(stored));
    }

    [Fact]
    public async Task NoCertificate_KeysAreInClearAndStartUpWarnsWhatToSet()
    {
        using var app = new ConsoleAppFactory(settings: Installation(pfx: null));
        using var client = app.NewClient();
        await client.SignInAdminAsync();

        var keys = await KeyXmlAsync(app);
        var warning = Assert.Single(app.Logs.Lines, l => l.Contains("key ring is stored unencrypted", StringComparison.Ordinal));

        Assert.Contains(keys, xml => xml.Contains("<masterKey", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains("DataProtection:CertificatePath", warning, StringComparison.Ordinal);
        Assert.Contains("DataProtection:CertificatePassword", warning, StringComparison.Ordinal);
        Assert.Contains("TOTP keys", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongPassword_StopsStartUpNamingTheKey()
    {
        using var app = new ConsoleAppFactory(settings: Installation(CreatePfx(), password: "not the password"));

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        var message = error is InvalidOperationException ? error.Message : error.InnerException?.Message ?? error.Message;
        Assert.Contains("DataProtection:CertificatePassword", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not the password", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.pfx", "does not exist")]
    [InlineData("not-a-certificate.pfx", "not a PFX")]
    public void UnusableFile_StopsStartUpNamingTheKey(string name, string expected)
    {
        if (name == "not-a-certificate.pfx")
        {
            File.WriteAllText(_folder.File(name), "this is not a certificate");
        }
        using var app = new ConsoleAppFactory(settings: Installation(_folder.File(name)));

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        var message = error is InvalidOperationException ? error.Message : error.InnerException?.Message ?? error.Message;
        Assert.Contains("DataProtection:CertificatePath", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }
}
