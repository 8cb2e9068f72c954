using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Notifications;
using RustDesk.Core.RateLimiting;

namespace RustDesk.Core.Authentication;

/// <summary>
/// The password step of signing in. Every failure counts toward lockout; an unknown user name costs the same
/// hash computation as a wrong password, so neither the answer nor its timing tells whether a name exists.
/// A disabled account is only named after the right password. Lockout is counted by <see cref="LockoutGuard"/>:
/// an attempt is reserved in the database before the password is checked, so parallel requests cannot run past it.
/// </summary>
public sealed class PasswordSignInService(
    UserManager<ConsoleUser> users,
    IPasswordHasher<ConsoleUser> hasher,
    PasswordHashGate gate,
    Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> hashOptions,
    LockoutGuard guard,
    SignInBudget budget,
    TrustedDeviceService devices,
    Audit.AuditLog audit,
    Alarms.AlarmService alarms,
    TimeProvider time,
    ILogger<PasswordSignInService> logger)
{
    private const string Step = Audit.SignInSteps.Password;
    private static readonly ConsoleUser Nobody = new();

    /// <summary>
    /// One dummy hash per iteration count for the whole process. Held per service instance (a scoped service), it was
    /// computed anew on every request, so an unknown name cost two hashes where a wrong password costs one: a timing
    /// difference that told names apart, and double the cost of a flood.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> DummyHashes = new();

    /// <param name="deviceCookie">The browser's <c>rd.device</c> cookie, if any: a valid one for this user spends that device's own budget.</param>
    public async Task<PasswordCheckResult> CheckAsync(string? userName, string? password, string? ipAddress = null, string? userAgent = null,
        string? deviceCookie = null)
    {
        var origin = new EventOrigin(ipAddress, userAgent);
        var user = string.IsNullOrWhiteSpace(userName) || userName.Length > PasswordRules.MaxInputLength ? null : await users.FindByNameAsync(userName);
        if (user is null || string.IsNullOrEmpty(password) || password.Length > PasswordRules.MaxInputLength)
        {
            if (!string.IsNullOrEmpty(password) && password.Length <= PasswordRules.MaxInputLength)
            {
                await BurnEquivalentTimeAsync(password);
            }
            logger.LogInformation("Sign-in failed for an unknown user name or empty input");
            // Not a row per attempt: one per IP address and minute, with a count (the name is never recorded).
            await audit.AppendAggregatedAsync(Audit.AuditKinds.SignInFailed, "unknown\n" + ipAddress, null, UnknownUserName,
                detail: Audit.AuditDetails.UnknownUser(Step), ipAddress: ipAddress, userAgent: userAgent);
            await alarms.CheckAsync(null, null);
            return new(PasswordCheckStatus.Failed);
        }
        var device = await devices.FindAsync(user.Id, deviceCookie);
        var attempt = await guard.ReserveAsync(user, device, Step, origin);
        if (!attempt.IsReserved)
        {
            await BurnEquivalentTimeAsync(password);
            return new(PasswordCheckStatus.LockedOut, null, LockoutGuard.LockEnd(attempt.RefusedUntil));
        }
        bool right;
        try
        {
            right = await gate.RunAsync(() => users.CheckPasswordAsync(user, password));
        }
        catch (PasswordHashingBusyException)
        {
            // Refused before the hash ran: nothing was guessed, so the reserved attempt goes back.
            await guard.ReleaseAsync(attempt);
            throw;
        }
        if (!right)
        {
            return await guard.FailAsync(user, attempt, Step, origin) with { DeviceHash = device };
        }
        await guard.ReleaseAsync(attempt);
        if (user.Status != UserStatus.Active)
        {
            logger.LogWarning("Sign-in refused for disabled user {UserId}", user.Id);
            await audit.AppendAsync(Audit.AuditKinds.SignInFailed, user.Id, user.UserName ?? "", user.Id, user.UserName,
                Audit.AuditDetails.AccountDisabled(Step), ipAddress, userAgent);
            await alarms.CheckAsync(user.Id, user.UserName);
            return new(PasswordCheckStatus.Disabled);
        }
        logger.LogInformation("User {UserId} passed the password step", user.Id);
        return new(PasswordCheckStatus.Succeeded, user, DeviceHash: device);
    }

    /// <summary>
    /// Every step of a sign-in has succeeded: the consecutive count, the lockout growth and any lockout of unknown
    /// clients end, and so do those of the device it came from.
    /// </summary>
    public Task CompleteAsync(ConsoleUser user, string? deviceHash = null) => budget.ResetAsync(user.Id, deviceHash);

    /// <summary>Remaining lockout, rounded up to whole minutes, for the sign-in page.</summary>
    public int MinutesLeft(DateTimeOffset? until)
    {
        if (until is null)
        {
            return 0;
        }
        var left = until.Value - time.GetUtcNow();
        return left <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(left.TotalMinutes);
    }

    /// <summary>The actor name of failures for names that are no account (the typed name is never stored).</summary>
    public const string UnknownUserName = Audit.AuditActors.UnknownUserName;

    private Task<PasswordVerificationResult> BurnEquivalentTimeAsync(string password) => gate.RunAsync(() =>
    {
        var dummy = DummyHashes.GetOrAdd(hashOptions.Value.IterationCount, _ => hasher.HashPassword(Nobody, "not a password of anyone"));
        return Task.FromResult(hasher.VerifyHashedPassword(Nobody, dummy, password));
    });
}
