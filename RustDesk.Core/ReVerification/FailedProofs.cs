using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;
using RustDesk.Core.Data;
using RustDesk.Core.Notifications;

namespace RustDesk.Core.ReVerification;

/// <summary>The steps a wrong proof inside a session is audited under.</summary>
public static class ProofSteps
{
    public const string ReVerification = "re-verification";
    public const string DisableTwoFactor = "disable 2FA";
    public const string PasswordChange = "password change";
    public const string EnableTwoFactor = "enable 2FA";
    public const string RenewTwoFactor = "renew 2FA";
}

/// <summary>
/// A wrong secret given inside a signed-in session (re-verification, disabling 2FA, the current password of a
/// password change, the code of the enable or renew dialog) is a guess like a wrong one at sign-in: it counts toward
/// the account's lockout, is audited naming the step with the session's IP address and browser, feeds the alarms
/// (all three through <see cref="PasswordSignInService.RecordFailureAsync"/>), and a lockout ends the session that
/// made it. A locked account is refused these steps outright. A malformed input is not a guess and is not counted
/// (the callers return before coming here).
/// </summary>
public sealed class FailedProofs(
    ConsoleDbContext db,
    PasswordSignInService passwords,
    SecurityNotifier notifier,
    ILogger<FailedProofs> logger)
{
    /// <summary>True when the account is locked out; the session is then ended.</summary>
    public async Task<bool> RefuseLockedOutAsync(ConsoleUser user, string? sessionId, CancellationToken cancellationToken = default)
    {
        if (!passwords.IsLockedOut(user))
        {
            return false;
        }
        logger.LogWarning("Refused a proof for locked-out user {UserId}; ending the session", user.Id);
        await EndSessionAsync(sessionId, cancellationToken);
        return true;
    }

    /// <summary>Counts one wrong proof; true when it locked the account (the session is then ended).</summary>
    public async Task<bool> RecordAsync(ConsoleUser user, string? sessionId, string step, CancellationToken cancellationToken = default)
    {
        var origin = await notifier.OriginOfSessionAsync(sessionId, cancellationToken);
        var result = await passwords.RecordFailureAsync(user, step, origin);
        logger.LogWarning("Wrong proof at step {Step} for user {UserId}", step, user.Id);
        if (result.Status != PasswordCheckStatus.LockedOut)
        {
            return false;
        }
        await EndSessionAsync(sessionId, cancellationToken);
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
