using RustDesk.Core.Accounts;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.ReVerification;

/// <summary>A change of the user's own account that needs more than the session cookie.</summary>
public enum ProtectedChange
{
    /// <summary>Turning TOTP on when it is off (asked before the key is shown).</summary>
    EnableTwoFactor,
    /// <summary>Replacing a working TOTP key (asked before the new key is shown).</summary>
    RenewTwoFactor,
    DisableTwoFactor,
    RegenerateBackupCodes,
    ChangeEmail,
    /// <summary>Turning email login verification on, or moving it to another address.</summary>
    TurnEmailVerificationOn,
    TurnEmailVerificationOff,
    AlarmSetting,
    ChangePassword,
    RevokeDevice,
    RevokeOtherDevices,
    /// <summary>Registering a passkey (asked before the browser is asked to create it).</summary>
    AddPasskey,
    RenamePasskey,
    RemovePasskey,
}

/// <summary>What proves the user for a change (several flags: all of them).</summary>
[Flags]
public enum Proof
{
    None = 0,
    /// <summary>
    /// A re-verification grant of this very session (<see cref="ReVerificationService.VerifyAsync"/>): earned with a
    /// TOTP code or a backup code when 2FA is on, with the current password when it is off.
    /// </summary>
    SessionGrant = 1,
    /// <summary>The current password, in the same request.</summary>
    CurrentPassword = 2,
    /// <summary>A TOTP code or a backup code, in the same request.</summary>
    SecondFactorCode = 4,
    /// <summary>The code emailed to the new address.</summary>
    AddressCode = 8,
    /// <summary>Nothing proves it in this state (e.g. new backup codes without 2FA, staff without 2FA): refused.</summary>
    Unavailable = 16,
}

/// <param name="WithoutTwoFactor">The proof while the user (the actor, for staff actions) has 2FA off.</param>
/// <param name="WithTwoFactor">The proof while 2FA is on.</param>
public sealed record ProofRule(Proof WithoutTwoFactor, Proof WithTwoFactor)
{
    public Proof For(bool twoFactorOn) => twoFactorOn ? WithTwoFactor : WithoutTwoFactor;
}

/// <param name="ReVerificationRequired">The change needs a session grant that this session does not hold: refuse it.</param>
/// <param name="InRequest">What the service must still check in the request itself (never <see cref="Proof.SessionGrant"/>).</param>
public readonly record struct ProofDecision(bool ReVerificationRequired, Proof InRequest)
{
    public bool Unavailable => InRequest.HasFlag(Proof.Unavailable);
}

/// <summary>
/// The one table of what proves the user before a protected change, and the one place that spends re-verification
/// grants. Every Core service that makes a protected change asks <see cref="DecideAsync"/> (or
/// <see cref="DecideForStaffAsync"/>) and checks what it answers, nothing else; the in-request proofs (password,
/// code, emailed code) are checked by the service that receives them.
/// </summary>
public sealed class ReVerificationPolicy(ReVerificationService grants, SecondFactorVerifier twoFactor)
{
    private const Proof Grant = Proof.SessionGrant;

    /// <summary>The user's own account. Rows that cannot happen in a state (disabling 2FA that is off) say <see cref="Proof.Unavailable"/>.</summary>
    public static IReadOnlyDictionary<ProtectedChange, ProofRule> Rules { get; } = new Dictionary<ProtectedChange, ProofRule>
    {
        // The hole a stolen cookie used: enrolling an attacker's authenticator, which then passes every re-verification.
        // With 2FA on it is only asked of a user with passkeys and no TOTP (with TOTP on, a new key is a renewal).
        [ProtectedChange.EnableTwoFactor] = new(Grant, Grant),
        [ProtectedChange.RenewTwoFactor] = new(Proof.Unavailable, Grant),
        [ProtectedChange.DisableTwoFactor] = new(Proof.Unavailable, Proof.SecondFactorCode),
        [ProtectedChange.RegenerateBackupCodes] = new(Proof.Unavailable, Grant),
        [ProtectedChange.ChangeEmail] = new(Grant, Grant),
        // Without 2FA the address proof alone (issue 5); with TOTP on verification can only be moved, never turned on.
        [ProtectedChange.TurnEmailVerificationOn] = new(Proof.AddressCode, Grant | Proof.AddressCode),
        [ProtectedChange.TurnEmailVerificationOff] = new(Grant, Grant),
        [ProtectedChange.AlarmSetting] = new(Proof.None, Grant),
        [ProtectedChange.ChangePassword] = new(Proof.CurrentPassword, Proof.CurrentPassword | Grant),
        [ProtectedChange.RevokeDevice] = new(Proof.None, Grant),
        [ProtectedChange.RevokeOtherDevices] = new(Proof.None, Grant),
        // Like enrolling TOTP: a passkey of an attacker's would pass every later re-verification and sign-in.
        [ProtectedChange.AddPasskey] = new(Grant, Grant),
        // A user without 2FA has no passkey (one passkey is 2FA on).
        [ProtectedChange.RenamePasskey] = new(Proof.Unavailable, Grant),
        [ProtectedChange.RemovePasskey] = new(Proof.Unavailable, Grant),
    };

    /// <summary>Staff actions on other users: the actor must have 2FA on and re-verify; looking at a user needs nothing more.</summary>
    public static IReadOnlyDictionary<StaffAction, ProofRule> StaffRules { get; } =
        Enum.GetValues<StaffAction>().ToDictionary(a => a, a => a == StaffAction.ViewUser
            ? new ProofRule(Proof.None, Proof.None)
            : new ProofRule(Proof.Unavailable, Grant));

    /// <summary>The proof of several changes made together (one submission of the Basic tab).</summary>
    public static Proof ProofFor(IEnumerable<ProtectedChange> changes, bool twoFactorOn) =>
        changes.Aggregate(Proof.None, (proof, change) => proof | Rules[change].For(twoFactorOn));

    /// <summary>
    /// Decides a change of the user's own account made from <paramref name="sessionId"/>. When it needs a session
    /// grant, the grant is used here (and spent, when <c>TwoFactor:ReVerificationMinutes</c> is 0): call this last,
    /// after the input has been validated, right before the change.
    /// </summary>
    public async Task<ProofDecision> DecideAsync(string userId, string? sessionId, IReadOnlyCollection<ProtectedChange> changes,
        CancellationToken cancellationToken = default)
    {
        var proof = ProofFor(changes, await twoFactor.IsEnabledAsync(userId, cancellationToken));
        return await UseGrantAsync(userId, sessionId, proof, cancellationToken);
    }

    public Task<ProofDecision> DecideAsync(string userId, string? sessionId, ProtectedChange change, CancellationToken cancellationToken = default) =>
        DecideAsync(userId, sessionId, [change], cancellationToken);

    /// <summary>The same for a staff action, by the actor's own 2FA state.</summary>
    public async Task<ProofDecision> DecideForStaffAsync(string actorId, string? actorSessionId, StaffAction action,
        CancellationToken cancellationToken = default)
    {
        var proof = StaffRules[action].For(await twoFactor.IsEnabledAsync(actorId, cancellationToken));
        return await UseGrantAsync(actorId, actorSessionId, proof, cancellationToken);
    }

    private async Task<ProofDecision> UseGrantAsync(string userId, string? sessionId, Proof proof, CancellationToken cancellationToken)
    {
        var inRequest = proof & ~Proof.SessionGrant;
        if (proof.HasFlag(Proof.Unavailable) || !proof.HasFlag(Proof.SessionGrant))
        {
            return new ProofDecision(false, inRequest);
        }
        return new ProofDecision(!await grants.TryUseGrantAsync(userId, sessionId, cancellationToken), inRequest);
    }
}
