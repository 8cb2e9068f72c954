using RustDesk.Core.Accounts.Settings;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.Security;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.EmailVerification;

/// <summary>
/// Emailed codes are stored as an HMAC keyed with a server secret that is not in the code's row: a copy of the
/// database gives neither the code nor a hash an attacker can brute-force over the 10^6 possible codes.
/// </summary>
public sealed class EmailCodeSecretTests : VerifiedEmailUserTest
{
    /// <summary>The scheme before the server secret: HMAC keyed with the pending sign-in's id, which sits in the same row.</summary>
    private static string HashKeyedWithTheRow(string boundTo, string code) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("rd-email-code:" + boundTo), Encoding.ASCII.GetBytes(code)));

    private async Task<(string PendingKey, PendingSignIn Row, string Code)> StartSignInAsync()
    {
        var start = await Host.WithAsync<SecondFactorSignInService, SignInStart>(s => s.StartAsync(Jane, false, "203.0.113.7", "test"));
        var code = await Env.DeliverAndReadCodeAsync(Address);
        var row = await Host.WithAsync<ConsoleDbContext, PendingSignIn>(db => db.PendingSignIns.AsNoTracking().SingleAsync(p => p.UserId == Jane.Id));
        return (start.PendingKey!, row, code);
    }

    private ServerSecrets NewInstance() => new(
        Host.Services.GetRequiredService<IServiceScopeFactory>(), Host.Services.GetRequiredService<IDataProtectionProvider>(),
        Host.Time, Host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ServerSecrets>());

    [Fact]
    public async Task SendCode_StoredRow_HoldsNeitherTheCodeNorAHashComputableFromTheDatabase()
    {
        var (_, row, code) = await StartSignInAsync();

        // An attacker with the database tries every code against what the row offers as a key: none reproduces the hash.
        Assert.NotEqual(HashKeyedWithTheRow(row.Id, code), row.EmailCodeHash);
        Assert.NotEqual(Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(code))), row.EmailCodeHash);
        Assert.NotEqual(Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(row.Id), Encoding.ASCII.GetBytes(code))), row.EmailCodeHash);
        Assert.DoesNotContain(code, row.EmailCodeHash!, StringComparison.Ordinal);
        // Only the server secret reproduces it.
        var key = await Host.Services.GetRequiredService<ServerSecrets>().GetAsync(EmailCodeHasher.SecretName);
        Assert.Equal(EmailCodes.Hash(key, row.Id, code), row.EmailCodeHash);
    }

    [Fact]
    public async Task ServerSecret_InTheDatabaseFile_IsOnlyEncrypted()
    {
        await StartSignInAsync();
        var key = await Host.Services.GetRequiredService<ServerSecrets>().GetAsync(EmailCodeHasher.SecretName);
        var stored = await Host.WithAsync<ConsoleDbContext, ServerSecret>(db => db.ServerSecrets.AsNoTracking().SingleAsync());
        SqliteConnectionPoolReset();

        // The database and its write-ahead log, where recent rows may still be.
        var file = (await File.ReadAllBytesAsync(Host.DatabaseFile))
            .Concat(File.Exists(Host.DatabaseFile + "-wal") ? await File.ReadAllBytesAsync(Host.DatabaseFile + "-wal") : []).ToArray();
        Assert.Contains(EmailCodeHasher.SecretName, Encoding.ASCII.GetString(file), StringComparison.Ordinal);
        var text = Encoding.ASCII.GetString(file);

        Assert.Equal(EmailCodeHasher.SecretName, stored.Name);
        Assert.Equal(ServerSecrets.KeyBytes, key.Length);
        Assert.Equal(-1, file.AsSpan().IndexOf(key));
        Assert.DoesNotContain(Convert.ToHexString(key), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(key), stored.ProtectedValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CodeHashedBeforeTheServerSecret_IsSimplyWrong()
    {
        // A pending code from before the change: its row holds the old row-keyed hash.
        var (pendingKey, row, code) = await StartSignInAsync();
        await Host.WithAsync<ConsoleDbContext, int>(db => db.PendingSignIns.Where(p => p.Id == row.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.EmailCodeHash, HashKeyedWithTheRow(row.Id, code))));

        var result = await Host.WithAsync<EmailSignInService, EmailStepResult>(s => s.VerifyAsync(pendingKey, code));

        Assert.Equal(EmailStepStatus.Wrong, result.Status);
    }

    [Fact]
    public async Task Confirm_AddressCodeHashedBeforeTheServerSecret_IsSimplyWrong()
    {
        var session = await Host.VerifiedSessionAsync("Jane", "jane password 1");
        await Host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == Jane.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailLoginVerification, false)));
        var sent = await Host.WithAsync<BasicSettingsService, AddressChangeResult>(
            s => s.SaveAsync(Jane.Id, session.SessionId, "jane.new@example.com", true, false));
        Assert.Equal(AddressChangeStatus.CodeSent, sent.Status);
        var code = await Env.DeliverAndReadCodeAsync("jane.new@example.com");
        await Host.WithAsync<ConsoleDbContext, int>(db => db.EmailChangeRequests.Where(r => r.UserId == Jane.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CodeHash, HashKeyedWithTheRow(Jane.Id + ":jane.new@example.com", code))));

        var result = await Host.WithAsync<BasicSettingsService, AddressChangeResult>(s => s.ConfirmAddressAsync(Jane.Id, session.SessionId, code));

        Assert.Equal(AddressChangeStatus.WrongCode, result.Status);
    }

    [Fact]
    public async Task GetAsync_TwoInstancesAtFirstUse_EndWithOneSharedSecret()
    {
        var first = NewInstance();
        var second = NewInstance();

        var keys = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => (i % 2 == 0 ? first : second).GetAsync("race-test"))));

        Assert.All(keys, k => Assert.Equal(keys[0], k));
        Assert.Equal(1, await Host.WithAsync<ConsoleDbContext, int>(db => db.ServerSecrets.CountAsync(s => s.Name == "race-test")));
        // A third instance started later reads the same key from the database.
        Assert.Equal(keys[0], await NewInstance().GetAsync("race-test"));
    }

    [Fact]
    public async Task GetAsync_StoredKeyCannotBeDecrypted_IsReplacedAndLogged()
    {
        var original = await NewInstance().GetAsync("lost-ring");
        await Host.WithAsync<ConsoleDbContext, int>(db => db.ServerSecrets.Where(s => s.Name == "lost-ring")
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ProtectedValue, Convert.ToBase64String(new byte[64]))));

        var replaced = await NewInstance().GetAsync("lost-ring");

        Assert.Equal(ServerSecrets.KeyBytes, replaced.Length);
        Assert.NotEqual(original, replaced);
        Assert.Equal(replaced, await NewInstance().GetAsync("lost-ring"));
        Assert.Contains(Host.Logs.Lines, l => l.Contains("cannot be decrypted", StringComparison.Ordinal));
    }

    private static void SqliteConnectionPoolReset() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
