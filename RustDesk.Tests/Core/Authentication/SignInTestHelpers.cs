using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.BackupCodes;
using RustDesk.Core.TwoFactor.Totp;

namespace RustDesk.Tests.Core.Authentication;

/// <summary>Shared set-up of the sign-in and lockout tests, for Core hosts and the web app alike.</summary>
internal static class SignInTestHelpers
{
    /// <summary>
    /// TOTP on for the user as a confirmed enrollment leaves it (key encrypted, one known backup code), written directly so
    /// that these tests do not depend on how enrollment is driven.
    /// </summary>
    public static async Task<(byte[] Key, string BackupCode)> SeedTotpAsync(IServiceProvider services, string userId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var key = TotpSecret.Generate();
        var backupCode = BackupCodeService.GenerateCodes()[0];
        db.TotpAuthenticators.Add(new TotpAuthenticator
        {
            UserId = userId,
            ProtectedSecret = scope.ServiceProvider.GetRequiredService<TotpSecretProtector>().Protect(key),
            EnabledAt = now,
            SecretChangedAt = now,
        });
        db.BackupCodes.Add(new BackupCode { UserId = userId, Hash = scope.ServiceProvider.GetRequiredService<BackupCodeHasher>().Hash(backupCode), CreatedAt = now });
        await db.SaveChangesAsync();
        return (key, backupCode);
    }

    public static string TotpCode(byte[] key, DateTimeOffset at) => TotpAlgorithm.Default.Compute(key, TotpAlgorithm.Default.StepAt(at));

    /// <summary>A wrong code in the right format (six digits, not the current one).</summary>
    public static string WrongTotpCode(byte[] key, DateTimeOffset at)
    {
        var right = new[] { -1, 0, 1 }.Select(o => TotpAlgorithm.Default.Compute(key, TotpAlgorithm.Default.StepAt(at) + o)).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !right.Contains(c));
    }

    public static async Task<ConsoleUser> UserAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName))!;
    }

    public static async Task<List<AuditEvent>> AuditAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }
}

/// <summary>
/// The real password hasher, counting the checks made against real accounts (the dummy hash of unknown names has no
/// user name) — what a lockout must bound — and able to hold checks of passwords starting with "wrong" at a gate, so a
/// test can keep attempts in flight.
/// </summary>
internal sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<ConsoleUser>
{
    private readonly PasswordHasher<ConsoleUser> _inner = new(options);
    private int _checks;
    private int _verifications;
    private int _hashes;

    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    public int Checks => Volatile.Read(ref _checks);

    /// <summary>All verifications (the dummy hash of unknown names included) and all new hashes, since the last reset.</summary>
    public (int Hashes, int Verifications) Work => (Volatile.Read(ref _hashes), Volatile.Read(ref _verifications));

    public void ResetWork() => (_hashes, _verifications) = (0, 0);

    public string HashPassword(ConsoleUser user, string password)
    {
        Interlocked.Increment(ref _hashes);
        return _inner.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(ConsoleUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        if (user.UserName is not null)
        {
            Interlocked.Increment(ref _checks);
            if (providedPassword.StartsWith("wrong", StringComparison.Ordinal))
            {
                Gate.Wait(TimeSpan.FromSeconds(60));
            }
        }
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    public static void Register(IServiceCollection services) =>
        services.AddSingleton<IPasswordHasher<ConsoleUser>>(sp => new CountingPasswordHasher(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()));
}
