using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Alarms;
using RustDesk.Core.Audit;
using RustDesk.Core.Notifications;

namespace RustDesk.Core.Authentication.Lockout;

/// <summary>
/// How every sign-in step (password, TOTP or backup code, emailed code) and every in-session proof spends the failure
/// budgets of <see cref="SignInBudget"/>: reserve before the secret is checked, give back on success, keep on failure.
/// Refusals and failures are audited (naming the budget, and the budget that locked) and feed the alarms.
/// </summary>
public sealed class LockoutGuard(SignInBudget budget, AuditLog audit, AlarmService alarms, ILogger<LockoutGuard> logger)
{
    /// <summary>Reserves one attempt; a refusal is audited (one row per user, IP address and minute) and answered as locked.</summary>
    public async Task<BudgetReservation> ReserveAsync(ConsoleUser user, string? deviceHash, string step, EventOrigin? origin,
        CancellationToken cancellationToken = default)
    {
        var reservation = await budget.ReserveAsync(user.Id, deviceHash, cancellationToken);
        if (!reservation.IsReserved)
        {
            logger.LogWarning("Sign-in step refused for locked-out user {UserId}", user.Id);
            await audit.AppendAggregatedAsync(AuditKinds.SignInLockedOut, $"{user.Id}\n{origin?.IpAddress}", user.Id, user.UserName ?? "",
                user.Id, user.UserName, AuditDetails.StepRefused(step), origin?.IpAddress, origin?.UserAgent, cancellationToken);
            await alarms.CheckAsync(user.Id, user.UserName, cancellationToken);
        }
        return reservation;
    }

    /// <summary>The secret was right: the attempt does not count.</summary>
    public Task ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default) =>
        budget.ReleaseAsync(reservation, cancellationToken);

    /// <summary>
    /// The secret was wrong: the attempt counts, may lock its budget, and is audited: as <paramref name="failedKind"/>
    /// (<see cref="AuditKinds.SignInFailed"/> at sign-in, <see cref="AuditKinds.ReVerificationFailed"/> inside a session),
    /// or as <see cref="AuditKinds.SignInLockedOut"/> when it locked the budget. <paramref name="reason"/> says why a
    /// passkey was refused (null for a typed secret).
    /// </summary>
    public async Task<PasswordCheckResult> FailAsync(ConsoleUser user, BudgetReservation reservation, string step, EventOrigin? origin,
        string? reason = null, string failedKind = AuditKinds.SignInFailed, CancellationToken cancellationToken = default)
    {
        var failure = await budget.FailAsync(reservation, cancellationToken);
        var budgetName = failure.Kind == BudgetKind.TrustedDevice ? AuditDetails.TrustedDeviceBudget : AuditDetails.UnknownClientsBudget;
        if (failure.LockedUntil is { } until)
        {
            var end = until == SignInBudget.UntilUnlocked ? "until unlocked" : $"until {until:yyyy-MM-dd HH:mm} UTC";
            logger.LogWarning("User {UserId}: the budget of {Budget} locked {End}", user.Id, budgetName, end);
            await audit.AppendAsync(AuditKinds.SignInLockedOut, user.Id, user.UserName ?? "", user.Id, user.UserName,
                AuditDetails.StepLocked(step, budgetName, until == SignInBudget.UntilUnlocked ? null : until, reason), origin?.IpAddress, origin?.UserAgent, cancellationToken);
        }
        else
        {
            logger.LogInformation("Sign-in step failed for user {UserId} ({Budget})", user.Id, budgetName);
            await audit.AppendAsync(failedKind, user.Id, user.UserName ?? "", user.Id, user.UserName,
                AuditDetails.StepFailed(step, budgetName, reason), origin?.IpAddress, origin?.UserAgent, cancellationToken);
        }
        await alarms.CheckAsync(user.Id, user.UserName, cancellationToken);
        return failure.RetryAt is { } retry
            ? new(PasswordCheckStatus.LockedOut, null, LockEnd(retry))
            : new(PasswordCheckStatus.Failed);
    }

    /// <summary>The end of a lockout as the pages show it; null means "until unlocked".</summary>
    public static DateTimeOffset? LockEnd(DateTime? until) =>
        until is not { } end || end == SignInBudget.UntilUnlocked ? null : new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc));
}
