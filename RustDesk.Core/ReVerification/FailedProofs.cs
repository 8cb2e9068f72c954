using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Core.Notifications;

namespace RustDesk.Core.ReVerification;

/// <summary>The steps a wrong proof inside a session is audited under.</summary>
public static class ProofSteps
{
    public const string ReVerification = "re-verification";
    public const string ReVerificationPasskey = "re-verification with a passkey";
    public const string DisableTwoFactor = "disable 2FA";
    public const string PasswordChange = "password change";
    public const string EnableTwoFactor = "enable 2FA";
    public const string RenewTwoFactor = "renew 2FA";
}

/// <summary>
/// One secret typed inside a session, holding its reservation of a failure budget until it is judged;
/// <see cref="Reason"/> says why a passkey was refused (null for a typed secret).
/// </summary>
public sealed record ProofAttempt(ConsoleUser User, string? SessionId, string Step, EventOrigin Origin, BudgetReservation Reservation,
    string? Reason = null);

/// <summary>
/// A secret given inside a signed-in session (re-verification, disabling 2FA, the current password of a password
/// change, the code of the enable or renew dialog) is a guess like one at sign-in, and is counted the same way
/// (<see cref="LockoutGuard"/>): <see cref="BeginAsync"/> reserves one failure <em>before</em> the secret is checked, so
/// parallel calls cannot run past a lockout; a right secret gives it back (<see cref="SucceededAsync"/>), a wrong one
/// keeps it (<see cref="FailedAsync"/>: audited as <see cref="Audit.AuditKinds.ReVerificationFailed"/> naming the step,
/// with the session's IP address and browser; the alarms count it like a failed sign-in, and a failure that locks the
/// budget is <see cref="Audit.AuditKinds.SignInLockedOut"/> as at sign-in). The budget is that of the browser the session signed in from (<see cref="Sessions.UserSession.DeviceHash"/>),
/// then that of unknown clients: a flood from elsewhere that locked unknown clients out does not lock the owner's own
/// session out of its dialogs, and a stolen session spends at most the same budgets as the browser it was stolen from.
/// When no budget is left the session that asked is ended. A malformed input is not a guess: callers return before
/// coming here.
/// </summary>
public sealed class FailedProofs(ConsoleDbContext db, LockoutGuard guard, ILogger<FailedProofs> logger)
{
    /// <summary>Reserves a failure for a proof of <paramref name="user"/> in <paramref name="sessionId"/>; null when locked out (the session is then ended).</summary>
    public async Task<ProofAttempt?> BeginAsync(ConsoleUser user, string? sessionId, string step, CancellationToken cancellationToken = default)
    {
        var session = sessionId is null ? null : await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId && s.UserId == user.Id)
            .Select(s => new { s.DeviceHash, s.IpAddress, s.UserAgent }).SingleOrDefaultAsync(cancellationToken);
        var origin = new EventOrigin(session?.IpAddress, session?.UserAgent);
        var reservation = await guard.ReserveAsync(user, session?.DeviceHash, step, origin, cancellationToken);
        if (!reservation.IsReserved)
        {
            logger.LogWarning("Refused a proof for locked-out user {UserId}; ending the session", user.Id);
            await EndSessionAsync(sessionId, cancellationToken);
            return null;
        }
        return new ProofAttempt(user, sessionId, step, origin, reservation);
    }

    /// <summary>The secret was right (or was never judged): the attempt does not count.</summary>
    public Task SucceededAsync(ProofAttempt attempt, CancellationToken cancellationToken = default) =>
        guard.ReleaseAsync(attempt.Reservation, cancellationToken);

    /// <summary>The secret was wrong: counts it; true when that locked the budget (the session is then ended).</summary>
    public async Task<bool> FailedAsync(ProofAttempt attempt, CancellationToken cancellationToken = default)
    {
        var result = await guard.FailAsync(attempt.User, attempt.Reservation, attempt.Step, attempt.Origin, attempt.Reason,
            Audit.AuditKinds.ReVerificationFailed, cancellationToken);
        logger.LogWarning("Wrong proof at step {Step} for user {UserId}", attempt.Step, attempt.User.Id);
        if (result.Status != PasswordCheckStatus.LockedOut)
        {
            return false;
        }
        await EndSessionAsync(attempt.SessionId, cancellationToken);
        return true;
    }

    private async Task EndSessionAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (sessionId is not null)
        {
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
