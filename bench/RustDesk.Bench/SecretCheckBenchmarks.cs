using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Bench;

/// <summary>
/// What one sign-in attempt costs the server. A wrong backup code is checked against all six stored hashes, so
/// <see cref="WrongBackupCodeAgainstSix"/> is the CPU an attacker can make the server spend per request.
/// </summary>
[MemoryDiagnoser]
public class SecretCheckBenchmarks
{
    private readonly BackupCodeHasher _backupHasher = new(Options.Create(new TwoFactorOptions()));
    private readonly PasswordHasher<ConsoleUser> _passwordHasher =
        new(Options.Create(new PasswordHasherOptions { IterationCount = new AccountOptions().PasswordHashIterations }));
    private readonly ConsoleUser _user = new();
    private string[] _backupHashes = [];
    private string _passwordHash = "";
    private byte[] _totpKey = [];
    private string _totpCode = "";

    [Params(10_000, 20_000, 50_000)]
    public int BackupCodeIterations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var hasher = new BackupCodeHasher(Options.Create(new TwoFactorOptions { BackupCodeHashIterations = BackupCodeIterations }));
        _backupHashes = BackupCodeService.GenerateCodes().Select(hasher.Hash).ToArray();
        _passwordHash = _passwordHasher.HashPassword(_user, "correct horse battery staple");
        _totpKey = TotpSecret.Generate();
        _totpCode = TotpAlgorithm.Default.Compute(_totpKey, TotpAlgorithm.Default.StepAt(DateTimeOffset.UtcNow));
    }

    [Benchmark]
    public bool WrongBackupCodeAgainstSix()
    {
        var any = false;
        foreach (var hash in _backupHashes)
        {
            any |= _backupHasher.Verify(hash, "0000000000");
        }
        return any;
    }

    [Benchmark]
    public PasswordVerificationResult PasswordCheck() => _passwordHasher.VerifyHashedPassword(_user, _passwordHash, "wrong password");

    [Benchmark]
    public long? TotpCheck() => TotpAlgorithm.Default.Match(_totpKey, _totpCode, DateTimeOffset.UtcNow);
}
