using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Authentication.Lockout;

public enum BudgetKind
{
    /// <summary>Every client without a valid device cookie for the user (and failures inside a signed-in session).</summary>
    UnknownClients,
    /// <summary>One browser that completed a sign-in of the user before.</summary>
    TrustedDevice,
}

/// <summary>
/// An attempt's claim on a failure budget. <see cref="Kind"/> is null when every budget open to the client was spent:
/// then <see cref="RefusedUntil"/> says when one opens again (<see cref="SignInBudget.UntilUnlocked"/>: not by itself).
/// </summary>
public sealed record BudgetReservation(string UserId, BudgetKind? Kind, string? DeviceHash, DateTime? RefusedUntil = null)
{
    public bool IsReserved => Kind is not null;
}

/// <param name="LockedUntil">Set when this failure locked its budget: until when.</param>
/// <param name="RetryAt">Set when the client has no budget left: when it may try again.</param>
public sealed record BudgetFailure(BudgetKind Kind, DateTime? LockedUntil, DateTime? RetryAt);

/// <summary>
/// The failure budgets of sign-in steps, counted in SQL so that parallel requests cannot run past a lockout. An attempt
/// first <em>reserves</em> one failure with a conditional UPDATE that checks the lockout in the same statement
/// (<c>… SET count = count + 1 WHERE … AND not locked AND count &lt; limit</c>; no row = refused), then the secret is
/// checked, and a success gives the reservation back. So at most the limit's worth of secrets is ever checked, however
/// many requests are in flight. A trusted device spends its own budget first and, once that is locked, the budget of
/// unknown clients. See readme.md in this folder.
/// </summary>
public sealed class SignInBudget(ConsoleDbContext db, IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>The lock end that means "until an administrator, a trusted device or the command line lifts it".</summary>
    public static readonly DateTime UntilUnlocked = DateTime.MaxValue;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<BudgetReservation> ReserveAsync(string userId, string? deviceHash, CancellationToken cancellationToken = default)
    {
        var now = Now;
        if (deviceHash is not null)
        {
            var device = await OpenDevice(userId, deviceHash, now).ExecuteUpdateAsync(u => u
                .SetProperty(d => d.FailureCount, d => d.FailureCount + 1)
                .SetProperty(d => d.ConsecutiveFailures, d => d.ConsecutiveFailures + 1), cancellationToken);
            if (device == 1)
            {
                return new(userId, BudgetKind.TrustedDevice, deviceHash);
            }
        }
        var account = await OpenAccount(userId, now).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.AccessFailedCount, x => x.AccessFailedCount + 1)
            .SetProperty(x => x.ConsecutiveFailures, x => x.ConsecutiveFailures + 1), cancellationToken);
        if (account == 1)
        {
            return new(userId, BudgetKind.UnknownClients, deviceHash);
        }
        // A budget whose window filled up while its last attempts were in flight (or whose process died) locks now.
        await LockAccountIfSpentAsync(userId, cancellationToken);
        if (deviceHash is not null)
        {
            await LockDeviceIfSpentAsync(userId, deviceHash, cancellationToken);
        }
        return new(userId, null, deviceHash, await RetryAtAsync(userId, deviceHash, cancellationToken) ?? now);
    }

    /// <summary>Gives a reserved attempt back (its secret was right).</summary>
    public async Task ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation.Kind == BudgetKind.TrustedDevice)
        {
            await db.TrustedDevices.Where(d => d.UserId == reservation.UserId && d.DeviceHash == reservation.DeviceHash)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(d => d.FailureCount, d => d.FailureCount > 0 ? d.FailureCount - 1 : 0)
                    .SetProperty(d => d.ConsecutiveFailures, d => d.ConsecutiveFailures > 0 ? d.ConsecutiveFailures - 1 : 0), cancellationToken);
        }
        else if (reservation.Kind == BudgetKind.UnknownClients)
        {
            await db.Users.Where(u => u.Id == reservation.UserId).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.AccessFailedCount, x => x.AccessFailedCount > 0 ? x.AccessFailedCount - 1 : 0)
                .SetProperty(x => x.ConsecutiveFailures, x => x.ConsecutiveFailures > 0 ? x.ConsecutiveFailures - 1 : 0), cancellationToken);
        }
    }

    /// <summary>Keeps a reserved attempt as a failure; locks its budget when the window or the consecutive limit is reached.</summary>
    public async Task<BudgetFailure> FailAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        var kind = reservation.Kind ?? throw new InvalidOperationException("Only a reserved attempt can fail.");
        var locked = kind == BudgetKind.TrustedDevice
            ? await LockDeviceIfSpentAsync(reservation.UserId, reservation.DeviceHash!, cancellationToken)
            : await LockAccountIfSpentAsync(reservation.UserId, cancellationToken);
        return new(kind, locked, await RetryAtAsync(reservation.UserId, reservation.DeviceHash, cancellationToken));
    }

    /// <summary>A completed sign-in (every step): the account's counters and those of the device it came from start again.</summary>
    public async Task ResetAsync(string userId, string? deviceHash, CancellationToken cancellationToken = default)
    {
        await ResetAccountAsync(db, userId, cancellationToken);
        if (deviceHash is not null)
        {
            await ResetDevices(db.TrustedDevices.Where(d => d.UserId == userId && d.DeviceHash == deviceHash), cancellationToken);
        }
    }

    /// <summary>Lifts every lockout of the user, of unknown clients and of each device (staff unlock, command-line set-password).</summary>
    public static async Task LiftAsync(ConsoleDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        await ResetAccountAsync(db, userId, cancellationToken);
        await ResetDevices(db.TrustedDevices.Where(d => d.UserId == userId), cancellationToken);
    }

    private IQueryable<ConsoleUser> OpenAccount(string userId, DateTime now)
    {
        var o = options.Value;
        return db.Users.Where(u => u.Id == userId && (u.LockedOutUntil == null || u.LockedOutUntil <= now)
            && u.AccessFailedCount < o.LockoutFailures && u.ConsecutiveFailures < o.MaxConsecutiveFailures);
    }

    private IQueryable<TrustedDevice> OpenDevice(string userId, string deviceHash, DateTime now)
    {
        var o = options.Value;
        return db.TrustedDevices.Where(d => d.UserId == userId && d.DeviceHash == deviceHash && d.ExpiresAt > now
            && (d.LockedOutUntil == null || d.LockedOutUntil <= now)
            && d.FailureCount < o.DeviceLockoutFailures && d.ConsecutiveFailures < o.MaxConsecutiveFailures);
    }

    /// <summary>Null while a budget is open to this client; otherwise the earliest time one opens again.</summary>
    private async Task<DateTime?> RetryAtAsync(string userId, string? deviceHash, CancellationToken cancellationToken)
    {
        var now = Now;
        if (await OpenAccount(userId, now).AnyAsync(cancellationToken)
            || (deviceHash is not null && await OpenDevice(userId, deviceHash, now).AnyAsync(cancellationToken)))
        {
            return null;
        }
        var until = await db.Users.Where(u => u.Id == userId).Select(u => u.LockedOutUntil).SingleOrDefaultAsync(cancellationToken) ?? now;
        if (deviceHash is not null)
        {
            var device = await db.TrustedDevices.Where(d => d.UserId == userId && d.DeviceHash == deviceHash && d.ExpiresAt > now)
                .Select(d => d.LockedOutUntil).SingleOrDefaultAsync(cancellationToken);
            if (device is { } deviceUntil && deviceUntil < until)
            {
                until = deviceUntil;
            }
        }
        return until;
    }

    /// <summary>Locks unknown clients out when a budget is spent; returns the lock's end when this call set it.</summary>
    private async Task<DateTime?> LockAccountIfSpentAsync(string userId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = Now;
        var state = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.LockoutCount, u.ConsecutiveFailures }).SingleOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            return null;
        }
        var forever = state.ConsecutiveFailures >= o.MaxConsecutiveFailures;
        var until = forever ? UntilUnlocked : now + o.LockoutDuration(state.LockoutCount + 1);
        var rows = forever
            ? db.Users.Where(u => u.Id == userId && u.ConsecutiveFailures >= o.MaxConsecutiveFailures
                && (u.LockedOutUntil == null || u.LockedOutUntil != UntilUnlocked))
            // LockoutCount in the condition: of several requests that find the window full, exactly one locks it.
            : db.Users.Where(u => u.Id == userId && u.AccessFailedCount >= o.LockoutFailures && u.LockoutCount == state.LockoutCount
                && (u.LockedOutUntil == null || u.LockedOutUntil <= now));
        var locked = await rows.ExecuteUpdateAsync(u => u
            .SetProperty(x => x.LockedOutUntil, until)
            .SetProperty(x => x.AccessFailedCount, 0)
            .SetProperty(x => x.LockoutCount, state.LockoutCount + 1), cancellationToken);
        return locked == 1 ? until : null;
    }

    /// <summary>The same for a trusted device: while it is locked, it is treated as an unknown client.</summary>
    private async Task<DateTime?> LockDeviceIfSpentAsync(string userId, string deviceHash, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = Now;
        var state = await db.TrustedDevices.AsNoTracking().Where(d => d.UserId == userId && d.DeviceHash == deviceHash)
            .Select(d => new { d.LockoutCount, d.ConsecutiveFailures }).SingleOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            return null;
        }
        var forever = state.ConsecutiveFailures >= o.MaxConsecutiveFailures;
        var until = forever ? UntilUnlocked : now + o.LockoutDuration(state.LockoutCount + 1);
        var rows = forever
            ? db.TrustedDevices.Where(d => d.UserId == userId && d.DeviceHash == deviceHash && d.ConsecutiveFailures >= o.MaxConsecutiveFailures
                && (d.LockedOutUntil == null || d.LockedOutUntil != UntilUnlocked))
            : db.TrustedDevices.Where(d => d.UserId == userId && d.DeviceHash == deviceHash && d.FailureCount >= o.DeviceLockoutFailures
                && d.LockoutCount == state.LockoutCount && (d.LockedOutUntil == null || d.LockedOutUntil <= now));
        var locked = await rows.ExecuteUpdateAsync(u => u
            .SetProperty(d => d.LockedOutUntil, until)
            .SetProperty(d => d.FailureCount, 0)
            .SetProperty(d => d.LockoutCount, state.LockoutCount + 1), cancellationToken);
        return locked == 1 ? until : null;
    }

    private static Task<int> ResetAccountAsync(ConsoleDbContext db, string userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.AccessFailedCount, 0)
            .SetProperty(x => x.ConsecutiveFailures, 0)
            .SetProperty(x => x.LockoutCount, 0)
            .SetProperty(x => x.LockedOutUntil, (DateTime?)null)
            .SetProperty(x => x.LockoutEnd, (DateTimeOffset?)null), cancellationToken);

    private static Task<int> ResetDevices(IQueryable<TrustedDevice> devices, CancellationToken cancellationToken) =>
        devices.ExecuteUpdateAsync(u => u
            .SetProperty(d => d.FailureCount, 0)
            .SetProperty(d => d.ConsecutiveFailures, 0)
            .SetProperty(d => d.LockoutCount, 0)
            .SetProperty(d => d.LockedOutUntil, (DateTime?)null), cancellationToken);
}
