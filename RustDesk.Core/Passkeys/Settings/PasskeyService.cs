using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.ReVerification;
using RustDesk.Core.Sessions;

namespace RustDesk.Core.Passkeys.Settings;

public enum PasskeyChangeStatus
{
    Done,
    ReVerificationRequired,
    /// <summary>Name empty (after trimming) or longer than <see cref="PasskeyCredential.MaxNameLength"/>.</summary>
    InvalidName,
    /// <summary>No such passkey of this user.</summary>
    NotFound,
    /// <summary>The user has <see cref="PasskeyOptions.MaxPerUser"/> passkeys.</summary>
    TooMany,
    /// <summary>No registration challenge of this session (expired, used, never asked for): start again.</summary>
    NoChallenge,
    /// <summary>The browser's answer did not verify (or is not one); nothing was stored.</summary>
    Refused,
    /// <summary>This authenticator's passkey is already registered.</summary>
    AlreadyRegistered,
}

public sealed record PasskeyChangeResult(PasskeyChangeStatus Status, string? OptionsJson = null) : IProtectedChangeResult
{
    public bool ReVerificationRequired => Status == PasskeyChangeStatus.ReVerificationRequired;
}

/// <summary>A passkey as the Security tab lists it.</summary>
public sealed record PasskeyInfo(long Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt, bool IsBackedUp);

/// <summary>
/// A user's own passkeys on the Security tab: register (the challenge is issued only after re-verification, bound to
/// the session, and needed to finish), list, rename and remove (re-verified). Every call is checked by
/// <see cref="SessionGuard"/>; every change is audited.
/// </summary>
public sealed class PasskeyService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    IFido2 fido2,
    PasskeyCeremonies ceremonies,
    SessionGuard guard,
    ReVerificationPolicy policy,
    AuditLog audit,
    Notifications.SecurityNotifier notifier,
    IOptions<PasskeyOptions> options,
    TimeProvider time,
    ILogger<PasskeyService> logger)
{
    public async Task<IReadOnlyList<PasskeyInfo>> ListAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        return await db.PasskeyCredentials.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .Select(p => new PasskeyInfo(p.Id, p.Name, p.CreatedAt, p.LastUsedAt, p.IsBackedUp)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Starts registering a passkey: needs re-verification (<see cref="ProtectedChange.AddPasskey"/>), then returns the
    /// options for <c>navigator.credentials.create</c> (attestation none, user verification and a discoverable
    /// credential preferred, the user's passkeys excluded). The challenge is bound to this session.
    /// </summary>
    public async Task<PasskeyChangeResult> BeginRegistrationAsync(string userId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        var existing = await db.PasskeyCredentials.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new { p.CredentialId, p.Transports }).ToListAsync(cancellationToken);
        if (existing.Count >= options.Value.MaxPerUser)
        {
            return new(PasskeyChangeStatus.TooMany);
        }
        var decision = await policy.DecideAsync(userId, sessionId, ProtectedChange.AddPasskey, cancellationToken);
        if (decision.ReVerificationRequired || decision.Unavailable)
        {
            return new(PasskeyChangeStatus.ReVerificationRequired);
        }
        var user = await users.FindByIdAsync(userId) ?? throw new SessionRefusedException(SessionCheck.Ended);
        var creation = fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = PasskeyCeremonies.UserHandleOf(userId), Name = user.UserName ?? "", DisplayName = user.UserName ?? "" },
            ExcludeCredentials = existing.Select(p => new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PublicKey, p.CredentialId,
                PasskeyCeremonies.ParseTransports(p.Transports))).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Preferred,
                UserVerification = UserVerificationRequirement.Preferred,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = creation.ToJson();
        await ceremonies.IssueAsync(PasskeyCeremony.Registration, sessionId!, userId, json, cancellationToken);
        return new(PasskeyChangeStatus.Done, json);
    }

    /// <summary>
    /// Finishes a registration with the browser's answer and the name the user gave: needs this session's unexpired
    /// registration challenge (taken once), a valid attestation for this console's origin and relying party, and a
    /// credential id not yet registered.
    /// </summary>
    public async Task<PasskeyChangeResult> FinishRegistrationAsync(string userId, string? sessionId, string? name, string? attestationJson,
        CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, SessionAccess.Enrollment, cancellationToken);
        if (CleanName(name) is not { } clean)
        {
            return new(PasskeyChangeStatus.InvalidName);
        }
        var raw = PasskeyCeremonies.ParseAttestation(attestationJson);
        var challenge = await ceremonies.TakeAsync(PasskeyCeremony.Registration, sessionId, cancellationToken);
        if (challenge is null || challenge.UserId != userId)
        {
            return new(PasskeyChangeStatus.NoChallenge);
        }
        if (raw is null)
        {
            return new(PasskeyChangeStatus.Refused);
        }
        if (await db.PasskeyCredentials.CountAsync(p => p.UserId == userId, cancellationToken) >= options.Value.MaxPerUser)
        {
            return new(PasskeyChangeStatus.TooMany);
        }
        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = CredentialCreateOptions.FromJson(challenge.OptionsJson),
                IsCredentialIdUniqueToUserCallback = async (args, ct) =>
                    !await db.PasskeyCredentials.AnyAsync(p => p.CredentialId == args.CredentialId, ct),
            }, cancellationToken);
        }
        catch (Fido2NetLib.Fido2VerificationException e) when (e.Code == Fido2NetLib.Exceptions.Fido2ErrorCode.NonUniqueCredentialId)
        {
            return new(PasskeyChangeStatus.AlreadyRegistered);
        }
        catch (Exception e) when (e is Fido2NetLib.Fido2VerificationException or FormatException or ArgumentException
            or InvalidOperationException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException
            or NotSupportedException or InvalidCastException or IndexOutOfRangeException or OverflowException)
        {
            logger.LogWarning("Passkey registration refused for user {UserId}: {Reason}", userId, e.Message);
            return new(PasskeyChangeStatus.Refused);
        }
        db.PasskeyCredentials.Add(new PasskeyCredential
        {
            UserId = userId,
            CredentialId = credential.Id,
            PublicKey = credential.PublicKey,
            SignCount = credential.SignCount,
            UserHandle = PasskeyCeremonies.UserHandleOf(userId),
            Name = clean,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Transports = credential.Transports is { Length: > 0 } t ? string.Join(",", t.Select(x => x.ToString().ToLowerInvariant())) : "",
            AaGuid = credential.AaGuid,
            IsBackupEligible = credential.IsBackupEligible,
            IsBackedUp = credential.IsBackedUp,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index decided a race between two registrations of one credential.
            return new(PasskeyChangeStatus.AlreadyRegistered);
        }
        logger.LogInformation("User {UserId} registered a passkey", userId);
        await AuditAsync(AuditKinds.PasskeyRegistered, userId, sessionId, AuditDetails.Passkey(clean), cancellationToken);
        await notifier.NotifyAsync(userId, Notifications.SecurityEvent.PasskeyAdded,
            await notifier.OriginOfSessionAsync(sessionId, cancellationToken), cancellationToken: cancellationToken);
        return new(PasskeyChangeStatus.Done);
    }

    /// <summary>Renames one of the user's passkeys (<see cref="ProtectedChange.RenamePasskey"/>).</summary>
    public async Task<PasskeyChangeResult> RenameAsync(string userId, string? sessionId, long passkeyId, string? name,
        CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        if (CleanName(name) is not { } clean)
        {
            return new(PasskeyChangeStatus.InvalidName);
        }
        if (!await db.PasskeyCredentials.AnyAsync(p => p.Id == passkeyId && p.UserId == userId, cancellationToken))
        {
            return new(PasskeyChangeStatus.NotFound);
        }
        var decision = await policy.DecideAsync(userId, sessionId, ProtectedChange.RenamePasskey, cancellationToken);
        if (decision.ReVerificationRequired || decision.Unavailable)
        {
            return new(PasskeyChangeStatus.ReVerificationRequired);
        }
        var renamed = await db.PasskeyCredentials.Where(p => p.Id == passkeyId && p.UserId == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Name, clean), cancellationToken);
        if (renamed == 0)
        {
            return new(PasskeyChangeStatus.NotFound);
        }
        await AuditAsync(AuditKinds.PasskeyRenamed, userId, sessionId, AuditDetails.PasskeyRenamed(clean), cancellationToken);
        return new(PasskeyChangeStatus.Done);
    }

    /// <summary>Removes one of the user's passkeys (<see cref="ProtectedChange.RemovePasskey"/>); the last one turns 2FA off unless TOTP is on.</summary>
    public async Task<PasskeyChangeResult> RemoveAsync(string userId, string? sessionId, long passkeyId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        var name = await db.PasskeyCredentials.Where(p => p.Id == passkeyId && p.UserId == userId).Select(p => p.Name)
            .SingleOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return new(PasskeyChangeStatus.NotFound);
        }
        var decision = await policy.DecideAsync(userId, sessionId, ProtectedChange.RemovePasskey, cancellationToken);
        if (decision.ReVerificationRequired || decision.Unavailable)
        {
            return new(PasskeyChangeStatus.ReVerificationRequired);
        }
        var removed = await db.PasskeyCredentials.Where(p => p.Id == passkeyId && p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return new(PasskeyChangeStatus.NotFound);
        }
        logger.LogInformation("User {UserId} removed a passkey", userId);
        await AuditAsync(AuditKinds.PasskeyRemoved, userId, sessionId, AuditDetails.Passkey(name), cancellationToken);
        await notifier.NotifyAsync(userId, Notifications.SecurityEvent.PasskeyRemoved,
            await notifier.OriginOfSessionAsync(sessionId, cancellationToken), cancellationToken: cancellationToken);
        return new(PasskeyChangeStatus.Done);
    }

    /// <summary>The name trimmed, or null when empty or too long.</summary>
    public static string? CleanName(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > PasskeyCredential.MaxNameLength ? null : trimmed;
    }

    private async Task AuditAsync(string kind, string userId, string? sessionId, AuditDetail detail, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        var origin = await notifier.OriginOfSessionAsync(sessionId, cancellationToken);
        await audit.AppendAsync(kind, userId, user?.UserName ?? "", userId, user?.UserName, detail,
            origin.IpAddress, origin.UserAgent, cancellationToken);
    }
}
