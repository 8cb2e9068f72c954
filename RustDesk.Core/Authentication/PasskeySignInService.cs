using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Notifications;
using RustDesk.Core.Passkeys;
using RustDesk.Core.Security;

namespace RustDesk.Core.Authentication;

public enum PasswordlessStatus
{
    Succeeded,
    /// <summary>Refused (unknown passkey, bad signature, no challenge, counter went back): one answer for all.</summary>
    Failed,
    LockedOut,
    Disabled,
    /// <summary><see cref="PasskeyOptions.AllowPasswordless"/> is off.</summary>
    NotAllowed,
}

/// <param name="Code">The user has TOTP: the code field applies.</param>
/// <param name="PasskeyOptionsJson">Assertion options when the user has passkeys.</param>
public sealed record SecondStepOffer(bool Code, string? PasskeyOptionsJson);

public sealed record PasswordlessStart(string HandleKey, string OptionsJson);

public sealed record PasswordlessResult(PasswordlessStatus Status, ConsoleUser? User = null, DateTimeOffset? LockedOutUntil = null);

/// <summary>
/// Signing in with a passkey: as the second step of a pending sign-in (the challenge bound to that sign-in), or without
/// a password (a discoverable passkey; the challenge bound to a fresh anonymous handle the browser holds). Every attempt
/// reserves a failure of the lockout budget before the assertion is checked (<see cref="LockoutGuard"/>), exactly as a
/// code or password would, and a refusal is counted, audited and fed to the alarms.
/// </summary>
public sealed class PasskeySignInService(
    PendingSignInService pending,
    PasswordSignInService passwords,
    LockoutGuard guard,
    TrustedDeviceService devices,
    PasskeyCeremonies ceremonies,
    TwoFactor.SecondFactorVerifier verifier,
    UserManager<ConsoleUser> users,
    AuditLog audit,
    Alarms.AlarmService alarms,
    IOptions<PasskeyOptions> options,
    ILogger<PasskeySignInService> logger)
{
    private const string StepName = SignInSteps.Passkey;
    private const string PasswordlessStep = SignInSteps.Passwordless;

    /// <summary>Whether the sign-in page offers passwordless sign-in.</summary>
    public bool PasswordlessAllowed => options.Value.AllowPasswordless;

    /// <summary>
    /// What the 2FA step page offers for this browser's pending sign-in: the code field (the user has TOTP) and/or a
    /// passkey (a fresh challenge bound to the pending sign-in, replacing an earlier one). Null when the sign-in is over.
    /// </summary>
    public async Task<SecondStepOffer?> OfferSecondStepAsync(string? pendingKey, CancellationToken cancellationToken = default)
    {
        var valid = await pending.FindValidAsync(pendingKey, SecondFactorMethod.Totp, cancellationToken);
        if (valid is null)
        {
            return null;
        }
        var code = await verifier.HasTotpAsync(valid.User.Id, cancellationToken);
        var options = await ceremonies.HasPasskeysAsync(valid.User.Id, cancellationToken)
            ? await ceremonies.BeginAssertionAsync(PasskeyCeremony.SignInStep, valid.SignIn.Id, valid.User.Id, cancellationToken)
            : null;
        return new(code, options);
    }

    /// <summary>The second step answered with a passkey: see <see cref="SecondFactorSignInService.VerifyAsync"/> for the rules it shares.</summary>
    public async Task<SecondStepResult> VerifySecondStepAsync(string? pendingKey, string? assertionJson, CancellationToken cancellationToken = default)
    {
        var valid = await pending.FindValidAsync(pendingKey, SecondFactorMethod.Totp, cancellationToken);
        if (valid is null)
        {
            return new(SecondStepStatus.Expired);
        }
        var (signIn, user) = valid;
        var origin = new EventOrigin(signIn.IpAddress, signIn.UserAgent);
        var attempt = await guard.ReserveAsync(user, signIn.DeviceHash, StepName, origin, cancellationToken);
        if (!attempt.IsReserved)
        {
            await pending.CancelByIdAsync(signIn.Id, cancellationToken);
            return new(SecondStepStatus.LockedOut, LockedOutUntil: LockoutGuard.LockEnd(attempt.RefusedUntil));
        }
        var check = await ceremonies.CheckAsync(PasskeyCeremony.SignInStep, signIn.Id, assertionJson, user.Id, origin, cancellationToken);
        if (check == PasskeyCheck.Verified)
        {
            if (!await pending.CompleteAsync(signIn.Id, cancellationToken))
            {
                await guard.ReleaseAsync(attempt, cancellationToken);
                return new(SecondStepStatus.Expired);
            }
            await passwords.CompleteAsync(user, signIn.DeviceHash);
            logger.LogInformation("User {UserId} passed 2FA at sign-in with a passkey", user.Id);
            return new(SecondStepStatus.Succeeded, user, signIn.IsPersistent);
        }
        var failure = await guard.FailAsync(user, attempt, StepName, origin, PasskeyCeremonies.Describe(check), cancellationToken: cancellationToken);
        if (failure.Status == PasswordCheckStatus.LockedOut)
        {
            await pending.CancelByIdAsync(signIn.Id, cancellationToken);
            return new(SecondStepStatus.LockedOut, LockedOutUntil: failure.LockedOutUntil);
        }
        return new(SecondStepStatus.PasskeyRefused);
    }

    /// <summary>Options for a passwordless sign-in and the random handle the browser keeps for it; null when not allowed.</summary>
    public async Task<PasswordlessStart?> BeginPasswordlessAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Value.AllowPasswordless)
        {
            return null;
        }
        var handle = OpaqueKey.New();
        var json = await ceremonies.BeginAssertionAsync(PasskeyCeremony.Passwordless, OpaqueKey.Hash(handle), null, cancellationToken);
        return new(handle, json);
    }

    /// <summary>
    /// Signs in with a discoverable passkey alone. The user is the passkey's owner (the assertion's user handle must be
    /// theirs); lockout, a disabled account and the failure budgets apply as at the password step. On success the caller
    /// signs the browser in like after a second factor.
    /// </summary>
    public async Task<PasswordlessResult> SignInAsync(string? handleKey, string? assertionJson, string? ipAddress, string? userAgent,
        string? deviceCookie, CancellationToken cancellationToken = default)
    {
        if (!options.Value.AllowPasswordless)
        {
            return new(PasswordlessStatus.NotAllowed);
        }
        var origin = new EventOrigin(ipAddress, userAgent);
        var binding = string.IsNullOrEmpty(handleKey) || handleKey.Length > 128 ? null : OpaqueKey.Hash(handleKey);
        var raw = PasskeyCeremonies.ParseAssertion(assertionJson);
        var credential = raw is null ? null : await ceremonies.FindAsync(raw.RawId, cancellationToken);
        var user = credential is null ? null : await users.FindByIdAsync(credential.UserId);
        if (user is null)
        {
            if (binding is not null)
            {
                await ceremonies.TakeAsync(PasskeyCeremony.Passwordless, binding, cancellationToken);
            }
            logger.LogInformation("Passwordless sign-in refused: unknown passkey or unusable input");
            await audit.AppendAggregatedAsync(AuditKinds.SignInFailed, "unknown-passkey\n" + ipAddress, null, PasswordSignInService.UnknownUserName,
                detail: AuditDetails.UnknownPasskey(PasswordlessStep), ipAddress: ipAddress, userAgent: userAgent,
                cancellationToken: cancellationToken);
            await alarms.CheckAsync(null, null, cancellationToken);
            return new(PasswordlessStatus.Failed);
        }
        var device = await devices.FindAsync(user.Id, deviceCookie);
        var attempt = await guard.ReserveAsync(user, device, PasswordlessStep, origin, cancellationToken);
        if (!attempt.IsReserved)
        {
            return new(PasswordlessStatus.LockedOut, LockedOutUntil: LockoutGuard.LockEnd(attempt.RefusedUntil));
        }
        // A discoverable credential names its owner: without the user handle the assertion proves no user.
        var check = raw!.Response.UserHandle is not { Length: > 0 }
            ? PasskeyCheck.Refused
            : await ceremonies.CheckAsync(PasskeyCeremony.Passwordless, binding, assertionJson, user.Id, origin, cancellationToken, raw);
        if (check != PasskeyCheck.Verified)
        {
            var failure = await guard.FailAsync(user, attempt, PasswordlessStep, origin, PasskeyCeremonies.Describe(check), cancellationToken: cancellationToken);
            return failure.Status == PasswordCheckStatus.LockedOut
                ? new(PasswordlessStatus.LockedOut, LockedOutUntil: failure.LockedOutUntil)
                : new(PasswordlessStatus.Failed);
        }
        await guard.ReleaseAsync(attempt, cancellationToken);
        if (user.Status != UserStatus.Active)
        {
            logger.LogWarning("Passwordless sign-in refused for disabled user {UserId}", user.Id);
            await audit.AppendAsync(AuditKinds.SignInFailed, user.Id, user.UserName ?? "", user.Id, user.UserName,
                AuditDetails.AccountDisabled(PasswordlessStep), ipAddress, userAgent, cancellationToken);
            await alarms.CheckAsync(user.Id, user.UserName, cancellationToken);
            return new(PasswordlessStatus.Disabled);
        }
        await passwords.CompleteAsync(user, device);
        logger.LogInformation("User {UserId} signed in with a passkey (passwordless)", user.Id);
        return new(PasswordlessStatus.Succeeded, user);
    }
}
