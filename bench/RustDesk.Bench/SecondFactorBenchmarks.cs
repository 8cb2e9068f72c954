using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Bench;

/// <summary>
/// One second-factor check as a sign-in request makes it: a fresh scope (one DbContext), the product's services, a real
/// SQLite file (WAL, as the console runs it). TOTP includes reading and decrypting the key and the conditional UPDATE
/// that refuses a replay; a backup code includes reading the user's unused hashes, checking all of them, and the
/// conditional UPDATE that spends the right one; the emailed code includes the pending sign-in, the lockout
/// reservation, the HMAC check and the single-use DELETE. The key and codes are put in the database with the product's
/// protector and hasher (enrollment itself needs a signed-in session and is not measured here).
/// </summary>
[MemoryDiagnoser]
public class SecondFactorBenchmarks
{
    private BenchHost _host = null!;
    private ConsoleUser _totpUser = null!;
    private ConsoleUser _mailUser = null!;
    private byte[] _key = [];
    private string _backupCode = "";
    private long _backupCodeId;
    private string _replayedCode = "";

    [GlobalSetup]
    public async Task Setup()
    {
        _host = new BenchHost();
        await _host.InitializeAsync();
        _totpUser = await _host.CreateUserAsync("totp-user");
        _mailUser = await _host.CreateUserAsync("mail-user", "mail-user@example.com", emailVerification: true);
        await using var scope = _host.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var now = _host.Time.GetUtcNow().UtcDateTime;
        _key = TotpSecret.Generate();
        db.TotpAuthenticators.Add(new TotpAuthenticator
        {
            UserId = _totpUser.Id,
            ProtectedSecret = scope.ServiceProvider.GetRequiredService<TotpSecretProtector>().Protect(_key),
            EnabledAt = now,
            SecretChangedAt = now,
        });
        var hasher = scope.ServiceProvider.GetRequiredService<BackupCodeHasher>();
        var codes = BackupCodeService.GenerateCodes();
        var rows = codes.Select(c => new BackupCode { UserId = _totpUser.Id, Hash = hasher.Hash(c), CreatedAt = now }).ToList();
        db.BackupCodes.AddRange(rows);
        await db.SaveChangesAsync();
        // The last one is the code the benchmark spends (every check reads all six: the time does not depend on which).
        _backupCode = codes[^1];
        _backupCodeId = rows[^1].Id;
        _replayedCode = TotpAlgorithm.Default.Compute(_key, TotpAlgorithm.Default.StepAt(_host.Time.GetUtcNow()));
        await VerifyAsync(_replayedCode);
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _host.DisposeAsync();

    private async Task<SecondFactorResult> VerifyAsync(string code)
    {
        await using var scope = _host.Scope();
        return await scope.ServiceProvider.GetRequiredService<SecondFactorVerifier>().VerifyAsync(_totpUser.Id, code);
    }

    /// <summary>A right TOTP code of a new time step: accepted, its step recorded.</summary>
    [Benchmark]
    public async Task<SecondFactorResult> TotpAccepted()
    {
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var result = await VerifyAsync(TotpAlgorithm.Default.Compute(_key, TotpAlgorithm.Default.StepAt(_host.Time.GetUtcNow())));
        return result == SecondFactorResult.Succeeded ? result : throw new InvalidOperationException(result.ToString());
    }

    /// <summary>A TOTP code that was already used: refused by the conditional UPDATE (and the user is told).</summary>
    [Benchmark]
    public async Task<SecondFactorResult> TotpReplayRefused()
    {
        var result = await VerifyAsync(_replayedCode);
        return result is SecondFactorResult.Replayed or SecondFactorResult.Wrong ? result : throw new InvalidOperationException(result.ToString());
    }

    /// <summary>A wrong TOTP code: three HMACs, no write.</summary>
    [Benchmark]
    public async Task<SecondFactorResult> TotpWrong() => await VerifyAsync("000000") is var r && r != SecondFactorResult.Succeeded
        ? r : throw new InvalidOperationException("accepted");

    /// <summary>A right backup code, spent; then made unused again with one UPDATE (included, ~0.1 ms) for the next round.</summary>
    [Benchmark]
    public async Task<SecondFactorResult> BackupCodeAccepted()
    {
        var result = await VerifyAsync(_backupCode);
        await using var scope = _host.Scope();
        await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().BackupCodes.Where(c => c.Id == _backupCodeId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, (DateTime?)null));
        return result == SecondFactorResult.SucceededWithBackupCode ? result : throw new InvalidOperationException(result.ToString());
    }

    /// <summary>A wrong backup code, checked against all six stored hashes: what an attacker costs per request.</summary>
    [Benchmark]
    public async Task<SecondFactorResult> BackupCodeWrong() => await VerifyAsync("0000000000") is var r && r == SecondFactorResult.Wrong
        ? r : throw new InvalidOperationException(r.ToString());

    /// <summary>The emailed-code step: create the pending sign-in and queue its code (the password step's end).</summary>
    [Benchmark]
    public async Task<string> EmailCodeStart()
    {
        await using var scope = _host.Scope();
        return await scope.ServiceProvider.GetRequiredService<EmailSignInService>().StartAsync(_mailUser, false, "198.51.100.7", "bench");
    }

    /// <summary>Start (as <see cref="EmailCodeStart"/>) and then verify the right code in a second request: subtract the two.</summary>
    [Benchmark]
    public async Task<EmailStepStatus> EmailCodeStartAndVerify()
    {
        string key;
        await using (var scope = _host.Scope())
        {
            key = await scope.ServiceProvider.GetRequiredService<EmailSignInService>().StartAsync(_mailUser, false, "198.51.100.7", "bench");
        }
        await using (var scope = _host.Scope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<EmailSignInService>().VerifyAsync(key, _host.Mail.LastCode);
            return result.Status == EmailStepStatus.Succeeded ? result.Status : throw new InvalidOperationException(result.Status.ToString());
        }
    }
}
