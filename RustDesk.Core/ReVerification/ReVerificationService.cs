using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.ReVerification;

public enum ReVerificationMethod
{
    /// <summary>2FA is on: a current TOTP code or a backup code.</summary>
    SecondFactor,
    /// <summary>2FA is off: the current password.</summary>
    Password,
}

/// <summary>What the modal offers: the method, and with 2FA on whether a code field and a passkey button make sense.</summary>
public sealed record ReVerificationOffer(ReVerificationMethod Method, bool Code, bool Passkey);

public enum ReVerificationStatus
{
    Verified,
    InvalidFormat,
    Wrong,
    /// <summary>The account locked; the session was signed out.</summary>
    LockedOut,
    /// <summary>The session is not this user's, revoked or expired.</summary>
    SessionInvalid,
    /// <summary>A passkey's answer was refused (counted like a wrong code).</summary>
    PasskeyRefused,
}

/// <summary>
/// "Changing account settings requires an additional verification." One success is a grant bound to the user and
/// the session, valid for <see cref="TwoFactorOptions.ReVerificationMinutes"/> (0 = for one change, which must come
/// within <see cref="SingleUseWindow"/>). Which changes need a grant is <see cref="ReVerificationPolicy"/>'s table;
/// the policy, not the services, calls <see cref="TryUseGrantAsync"/>. Codes follow the sign-in rules (±1 step, no
/// replay, backup codes consumed); wrong ones count through <see cref="FailedProofs"/>.
/// </summary>
public sealed class ReVerificationService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    Audit.AuditLog audit,
    SecondFactorVerifier twoFactor,
    FailedProofs failures,
    RateLimiting.PasswordHashGate hashGate,
    SessionGuard guard,
    Passkeys.PasskeyCeremonies passkeys,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ILogger<ReVerificationService> logger)
{
    /// <summary>A grant for "every change" (0 minutes) has to be used within this time.</summary>
    internal static readonly TimeSpan SingleUseWindow = TimeSpan.FromMinutes(10);

    /// <summary>
    /// What the modal shows: the password (2FA off), or a code field (TOTP) and/or "Use a passkey" (2FA on). Part of
    /// enrollment: a user held on enrollment re-verifies with the password before the key is shown.
    /// </summary>
    public async Task<ReVerificationOffer> OfferAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        var totp = await twoFactor.HasTotpAsync(userId, cancellationToken);
        var passkey = await twoFactor.HasPasskeyAsync(userId, cancellationToken);
        return new(totp || passkey ? ReVerificationMethod.SecondFactor : ReVerificationMethod.Password, totp, passkey);
    }

    /// <summary>Assertion options for re-verifying with one of the user's passkeys; the challenge is bound to this session. Null without passkeys.</summary>
    public async Task<string?> BeginPasskeyAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        return await twoFactor.HasPasskeyAsync(userId, cancellationToken)
            ? await passkeys.BeginAssertionAsync(Passkeys.PasskeyCeremony.ReVerification, sessionId!, userId, cancellationToken)
            : null;
    }

    /// <summary>
    /// Re-verifies with a passkey: the assertion must answer this session's re-verification challenge with one of the
    /// user's passkeys. A refusal (forged, replayed, another session's challenge, unknown passkey, oversized) is a counted
    /// guess like a wrong code (<see cref="FailedProofs"/>).
    /// </summary>
    public async Task<ReVerificationStatus> VerifyPasskeyAsync(string userId, string? sessionId, string? assertionJson,
        CancellationToken cancellationToken = default)
    {
        if (!await guard.IsOpenAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken))
        {
            logger.LogWarning("Re-verification refused for user {UserId}: session not valid", userId);
            return ReVerificationStatus.SessionInvalid;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return ReVerificationStatus.SessionInvalid;
        }
        if (await failures.BeginAsync(user, sessionId, ProofSteps.ReVerificationPasskey, cancellationToken) is not { } attempt)
        {
            return ReVerificationStatus.LockedOut;
        }
        var check = await passkeys.CheckAsync(Passkeys.PasskeyCeremony.ReVerification, sessionId, assertionJson, userId, attempt.Origin,
            cancellationToken);
        if (check != Passkeys.PasskeyCheck.Verified)
        {
            logger.LogWarning("Re-verification with a passkey failed for user {UserId}: {Reason}", userId, Passkeys.PasskeyCeremonies.Describe(check));
            return await failures.FailedAsync(attempt with { Reason = Passkeys.PasskeyCeremonies.Describe(check) }, cancellationToken)
                ? ReVerificationStatus.LockedOut : ReVerificationStatus.PasskeyRefused;
        }
        await failures.SucceededAsync(attempt, cancellationToken);
        await GrantAsync(user, sessionId, attempt.Origin, Audit.AuditDetails.SignInMethod(Audit.SignInMethods.Passkey), cancellationToken);
        return ReVerificationStatus.Verified;
    }

    public async Task<ReVerificationStatus> VerifyAsync(string userId, string? sessionId, string? input, CancellationToken cancellationToken = default)
    {
        if (!await guard.IsOpenAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken))
        {
            logger.LogWarning("Re-verification refused for user {UserId}: session not valid", userId);
            return ReVerificationStatus.SessionInvalid;
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return ReVerificationStatus.SessionInvalid;
        }
        var secondFactor = await twoFactor.IsEnabledAsync(userId, cancellationToken);
        if (secondFactor ? SecondFactorCode.Parse(input).Kind == SecondFactorKind.Invalid
            : string.IsNullOrEmpty(input) || input.Length > PasswordRules.MaxInputLength)
        {
            return ReVerificationStatus.InvalidFormat;
        }
        if (await failures.BeginAsync(user, sessionId, ProofSteps.ReVerification, cancellationToken) is not { } attempt)
        {
            return ReVerificationStatus.LockedOut;
        }
        var from = attempt.Origin;
        var ok = secondFactor
            ? await twoFactor.VerifyAsync(userId, input, from, cancellationToken) is SecondFactorResult.Succeeded or SecondFactorResult.SucceededWithBackupCode
            : await hashGate.RunAsync(() => users.CheckPasswordAsync(user, input!));
        if (!ok)
        {
            logger.LogWarning("Re-verification failed for user {UserId}", userId);
            return await failures.FailedAsync(attempt, cancellationToken) ? ReVerificationStatus.LockedOut : ReVerificationStatus.Wrong;
        }
        await failures.SucceededAsync(attempt, cancellationToken);
        await GrantAsync(user, sessionId, from, null, cancellationToken);
        return ReVerificationStatus.Verified;
    }

    private async Task GrantAsync(ConsoleUser user, string? sessionId, Notifications.EventOrigin from, Audit.AuditDetail? detail, CancellationToken cancellationToken)
    {
        var minutes = options.Value.ReVerificationMinutes;
        var until = time.GetUtcNow().UtcDateTime + (minutes == 0 ? SingleUseWindow : TimeSpan.FromMinutes(minutes));
        await db.Sessions.Where(s => s.Id == sessionId && s.UserId == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ReVerifiedUntil, until), cancellationToken);
        logger.LogInformation("User {UserId} re-verified", user.Id);
        await audit.AppendAsync(Audit.AuditKinds.ReVerified, user.Id, user.UserName ?? "", user.Id, user.UserName, detail,
            from.IpAddress, from.UserAgent, cancellationToken);
    }

    /// <summary>
    /// True when this user's session holds a grant. With <c>ReVerificationMinutes = 0</c> the grant is spent by this
    /// change (a conditional update decides). Only <see cref="ReVerificationPolicy"/> calls it.
    /// </summary>
    internal async Task<bool> TryUseGrantAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        if (sessionId is null)
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var mine = db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId && s.ReVerifiedUntil > now && s.ExpiresAt > now);
        if (options.Value.ReVerificationMinutes == 0)
        {
            return await mine.ExecuteUpdateAsync(u => u.SetProperty(s => s.ReVerifiedUntil, (DateTime?)null), cancellationToken) == 1;
        }
        return await mine.AnyAsync(cancellationToken);
    }
}
