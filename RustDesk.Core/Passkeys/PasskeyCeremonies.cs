using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.Notifications;
using RustDesk.Core.Security;

namespace RustDesk.Core.Passkeys;

/// <summary>Why an assertion was refused (all but <see cref="Verified"/> are refusals that change nothing).</summary>
public enum PasskeyCheck
{
    Verified,
    /// <summary>Not a WebAuthn response, or over the size limits (refused before parsing).</summary>
    Malformed,
    /// <summary>No unexpired challenge for this ceremony and binding: expired, used, replaced, or another session's.</summary>
    NoChallenge,
    /// <summary>No passkey with this credential id (for this user).</summary>
    UnknownCredential,
    /// <summary>The signature, origin, relying party, challenge or user handle did not verify.</summary>
    Refused,
    /// <summary>The signature counter did not grow: a possible cloned authenticator.</summary>
    CounterWentBack,
}

/// <summary>
/// The WebAuthn mechanics shared by every ceremony: issuing and taking server-side challenges (random, single use by a
/// conditional delete, short-lived, bound to what asked), and verifying an assertion against a stored passkey with
/// clone detection. Callers count failures; nothing here decides who may ask.
/// </summary>
public sealed class PasskeyCeremonies(ConsoleDbContext db, IFido2 fido2, AuditLog audit, IOptions<PasskeyOptions> options,
    TimeProvider time, ILogger<PasskeyCeremonies> logger)
{
    /// <summary>A browser's response JSON larger than this is refused unread.</summary>
    public const int MaxResponseJsonLength = 16 * 1024;

    /// <summary>clientDataJSON larger than this is refused before it is parsed.</summary>
    public const int MaxClientDataLength = 4 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The WebAuthn user handle of a user: their id's bytes (random, no personal data).</summary>
    public static byte[] UserHandleOf(string userId) => Encoding.UTF8.GetBytes(userId);

    internal TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.ChallengeLifetimeSeconds);

    /// <summary>Stores a challenge's options for <paramref name="ceremony"/> and <paramref name="binding"/>, replacing an earlier one.</summary>
    internal async Task IssueAsync(PasskeyCeremony ceremony, string binding, string? userId, string optionsJson,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.PasskeyChallenges.Where(c => (c.Ceremony == ceremony && c.Binding == binding) || c.ExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);
        db.PasskeyChallenges.Add(new PasskeyChallenge
        {
            Id = OpaqueKey.Hash(OpaqueKey.New()),
            Ceremony = ceremony,
            Binding = binding,
            UserId = userId,
            OptionsJson = optionsJson,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the challenge of this ceremony and binding: null when there is none unexpired. Single use under races: the
    /// conditional delete's row count decides which caller gets it.
    /// </summary>
    internal async Task<PasskeyChallenge?> TakeAsync(PasskeyCeremony ceremony, string? binding, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(binding))
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.PasskeyChallenges.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Ceremony == ceremony && c.Binding == binding && c.ExpiresAt > now, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var taken = await db.PasskeyChallenges.Where(c => c.Id == row.Id && c.ExpiresAt > now).ExecuteDeleteAsync(cancellationToken);
        return taken == 1 ? row : null;
    }

    /// <summary>
    /// Issues assertion options: for a known user with their passkeys allowed, else (passwordless) for any discoverable
    /// passkey. User verification preferred. Returns the JSON for <c>navigator.credentials.get</c>.
    /// </summary>
    internal async Task<string> BeginAssertionAsync(PasskeyCeremony ceremony, string binding, string? userId, CancellationToken cancellationToken)
    {
        var allowed = new List<PublicKeyCredentialDescriptor>();
        if (userId is not null)
        {
            var mine = await db.PasskeyCredentials.AsNoTracking().Where(p => p.UserId == userId)
                .Select(p => new { p.CredentialId, p.Transports }).ToListAsync(cancellationToken);
            allowed.AddRange(mine.Select(p => new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PublicKey, p.CredentialId, ParseTransports(p.Transports))));
        }
        var assertion = fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed,
            UserVerification = UserVerificationRequirement.Preferred,
        });
        var json = assertion.ToJson();
        await IssueAsync(ceremony, binding, userId, json, cancellationToken);
        return json;
    }

    /// <summary>Reads a browser's assertion JSON within the size limits; null when it is not one.</summary>
    public static AuthenticatorAssertionRawResponse? ParseAssertion(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > MaxResponseJsonLength)
        {
            return null;
        }
        try
        {
            var raw = JsonSerializer.Deserialize<AuthenticatorAssertionRawResponse>(json, Json);
            return raw?.Response?.ClientDataJson is { Length: > 0 and <= MaxClientDataLength } && raw.Response.AuthenticatorData is { Length: > 0 }
                && raw.Response.Signature is { Length: > 0 } && raw.RawId is { Length: > 0 and <= PasskeyCredential.MaxCredentialIdLength }
                ? raw
                : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads a browser's attestation (registration) JSON within the size limits; null when it is not one.</summary>
    public static AuthenticatorAttestationRawResponse? ParseAttestation(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > MaxResponseJsonLength)
        {
            return null;
        }
        try
        {
            var raw = JsonSerializer.Deserialize<AuthenticatorAttestationRawResponse>(json, Json);
            return raw?.Response?.ClientDataJson is { Length: > 0 and <= MaxClientDataLength } && raw.Response.AttestationObject is { Length: > 0 }
                && raw.RawId is { Length: > 0 and <= PasskeyCredential.MaxCredentialIdLength }
                ? raw
                : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    internal Task<PasskeyCredential?> FindAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        db.PasskeyCredentials.AsNoTracking().SingleOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);

    /// <summary>
    /// Takes the challenge of <paramref name="ceremony"/>/<paramref name="binding"/> and verifies <paramref name="raw"/>
    /// against <paramref name="credential"/>: challenge, origin, relying party, user presence, signature, user handle,
    /// and a growing signature counter. On success the counter and last use are stored (a conditional update, so two
    /// uses of one counter value cannot both pass).
    /// </summary>
    internal async Task<PasskeyCheck> VerifyAsync(PasskeyCeremony ceremony, string? binding, AuthenticatorAssertionRawResponse raw,
        PasskeyCredential credential, CancellationToken cancellationToken)
    {
        var challenge = await TakeAsync(ceremony, binding, cancellationToken);
        if (challenge is null || (challenge.UserId is not null && challenge.UserId != credential.UserId))
        {
            return PasskeyCheck.NoChallenge;
        }
        VerifyAssertionResult result;
        try
        {
            result = await fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = AssertionOptions.FromJson(challenge.OptionsJson),
                StoredPublicKey = credential.PublicKey,
                StoredSignatureCounter = (uint)credential.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
                    Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(credential.UserHandle)),
            }, cancellationToken);
        }
        catch (Fido2VerificationException e) when (e.Code == Fido2ErrorCode.InvalidSignCount)
        {
            return PasskeyCheck.CounterWentBack;
        }
        catch (Exception e) when (e is Fido2VerificationException or FormatException or ArgumentException or InvalidOperationException
            or JsonException or System.Security.Cryptography.CryptographicException or NotSupportedException or InvalidCastException
            or IndexOutOfRangeException or OverflowException)
        {
            logger.LogInformation("Passkey assertion refused for user {UserId}: {Reason}", credential.UserId, e.Message);
            return PasskeyCheck.Refused;
        }
        // Fido2 accepts a zero counter after a non-zero one; a counter that once counted must keep growing.
        if (credential.SignCount > 0 && result.SignCount <= credential.SignCount)
        {
            return PasskeyCheck.CounterWentBack;
        }
        var now = time.GetUtcNow().UtcDateTime;
        long counter = result.SignCount;
        // Compare-and-set: a counter that counts must be above what is stored now (a parallel use may have moved it).
        var updated = await db.PasskeyCredentials.Where(p => p.Id == credential.Id && (p.SignCount < counter || (counter == 0 && p.SignCount == 0)))
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.SignCount, counter).SetProperty(p => p.LastUsedAt, now)
                .SetProperty(p => p.IsBackedUp, result.IsBackedUp), cancellationToken);
        return updated == 1 ? PasskeyCheck.Verified : PasskeyCheck.CounterWentBack;
    }

    /// <summary>Parses, finds the passkey (it must be <paramref name="userId"/>'s), verifies; audits a possible clone.</summary>
    internal async Task<PasskeyCheck> CheckAsync(PasskeyCeremony ceremony, string? binding, string? json, string userId, EventOrigin origin,
        CancellationToken cancellationToken, Fido2NetLib.AuthenticatorAssertionRawResponse? parsed = null)
    {
        var raw = parsed ?? ParseAssertion(json);
        if (raw is null)
        {
            await TakeAsync(ceremony, binding, cancellationToken);
            return PasskeyCheck.Malformed;
        }
        var credential = await FindAsync(raw.RawId, cancellationToken);
        if (credential is null || credential.UserId != userId)
        {
            await TakeAsync(ceremony, binding, cancellationToken);
            return PasskeyCheck.UnknownCredential;
        }
        var check = await VerifyAsync(ceremony, binding, raw, credential, cancellationToken);
        if (check == PasskeyCheck.CounterWentBack)
        {
            await AuditCloneAsync(credential, origin, cancellationToken);
        }
        return check;
    }

    internal Task<bool> HasPasskeysAsync(string userId, CancellationToken cancellationToken) =>
        db.PasskeyCredentials.AnyAsync(p => p.UserId == userId, cancellationToken);

    /// <summary>A counter that did not grow: audited as a possible cloned passkey (the assertion is refused, nothing changes).</summary>
    internal async Task AuditCloneAsync(PasskeyCredential credential, EventOrigin origin, CancellationToken cancellationToken)
    {
        var userName = await db.Users.Where(u => u.Id == credential.UserId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
        logger.LogWarning("Refused passkey {PasskeyId} of user {UserId}: the signature counter went back (possible clone)", credential.Id, credential.UserId);
        await audit.AppendAsync(AuditKinds.PasskeyCloneSuspected, credential.UserId, userName ?? "", credential.UserId, userName,
            AuditDetails.PasskeyClone(credential.Name, credential.SignCount),
            origin.IpAddress, origin.UserAgent, cancellationToken);
    }

    /// <summary>Why a passkey was refused, as the audit log's detail names it (and the console translates it).</summary>
    public static string Describe(PasskeyCheck check) => check switch
    {
        PasskeyCheck.Malformed => PasskeyRefusals.Malformed,
        PasskeyCheck.NoChallenge => PasskeyRefusals.NoChallenge,
        PasskeyCheck.UnknownCredential => PasskeyRefusals.UnknownPasskey,
        PasskeyCheck.CounterWentBack => PasskeyRefusals.CounterWentBack,
        _ => PasskeyRefusals.NotVerified,
    };

    internal static AuthenticatorTransport[]? ParseTransports(string stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }
        var list = new List<AuthenticatorTransport>();
        foreach (var part in stored.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse<AuthenticatorTransport>(part, true, out var t))
            {
                list.Add(t);
            }
        }
        return list.Count == 0 ? null : list.ToArray();
    }
}

/// <summary>The reasons a passkey is refused, as arguments of the audit log's failed-step details.</summary>
public static class PasskeyRefusals
{
    public const string Malformed = "malformed or oversized response";
    public const string NoChallenge = "no valid challenge";
    public const string UnknownPasskey = "unknown passkey";
    public const string CounterWentBack = "signature counter went back";
    public const string NotVerified = "assertion did not verify";
}
