using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Data;
using RustDesk.Core.EmailVerification;
using RustDesk.Core.ReVerification;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.Accounts.Settings;

/// <summary>What the Basic tab shows.</summary>
public sealed record BasicSettings(string UserName, string? Email, bool AlarmNotificationEnabled, bool EmailLoginVerification, IReadOnlyList<string> Roles);

/// <summary>
/// The Basic tab: email, "Enable email login verification" and alarm notification. One save checks its input once
/// and either writes it, or — when turning verification on or moving it to another address — saves the alarm setting
/// and hands the address to <see cref="AddressProof"/>, so a typo cannot lock the user out; the code's confirmation
/// comes back here (<see cref="ConfirmAddressAsync"/>) to write the proved address.
/// </summary>
public sealed class BasicSettingsService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    SessionGuard guard,
    ReVerificationPolicy policy,
    SecondFactorVerifier secondFactor,
    AddressProof proof,
    Notifications.SecurityNotifier notifier,
    Audit.AuditLog audit,
    ILogger<BasicSettingsService> logger)
{
    public async Task<BasicSettings?> GetAsync(string userId, string? sessionId)
    {
        await guard.RequireAsync(userId, sessionId);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return null;
        }
        var roles = await users.GetRolesAsync(user);
        return new BasicSettings(user.UserName ?? "", user.Email, user.AlarmNotificationEnabled, user.EmailLoginVerification,
            roles.OrderBy(r => Roles.All.ToList().IndexOf(r)).ToList());
    }

    /// <summary>Saves the Basic tab: email, email login verification and alarm notification, or sends the code a new address needs.</summary>
    public async Task<AddressChangeResult> SaveAsync(string userId, string? sessionId, string? email, bool emailVerification,
        bool alarmNotification, string? ipAddress = null, string? userAgent = null, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        // The address is checked here once (form, then whether another user holds it); the write below trusts it.
        if (!EmailRules.TryNormalize(email, out email))
        {
            return new(AddressChangeStatus.EmailInvalid);
        }
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return new(AddressChangeStatus.UserNotFound);
        }
        var changes = BasicChanges(user, email, alarmNotification, emailVerification);
        var secondFactorOn = await secondFactor.IsEnabledAsync(userId, cancellationToken);
        var needsProof = ReVerificationPolicy.ProofFor(changes, secondFactorOn).HasFlag(Proof.AddressCode);
        if (emailVerification && email is null)
        {
            return new(AddressChangeStatus.EmailRequired);
        }
        if (needsProof && !user.EmailLoginVerification && secondFactorOn)
        {
            return new(AddressChangeStatus.TotpActive);
        }
        // Unchanged, the address is the user's own: no other user can hold it (unique index), so only a new one is asked about.
        var emailChanged = email is not null && !string.Equals(user.Email, email, StringComparison.Ordinal);
        if (emailChanged && await EmailOwnership.IsTakenByAnotherAsync(db, users, email, userId, cancellationToken))
        {
            return new(AddressChangeStatus.EmailTaken);
        }
        if ((await policy.DecideAsync(userId, sessionId, changes, cancellationToken)).ReVerificationRequired)
        {
            return new(AddressChangeStatus.ReVerificationRequired);
        }
        if (!needsProof)
        {
            return new(await WriteAsync(user, email, alarmNotification, emailVerification, addressProved: false, sessionId));
        }
        // The alarm setting does not need proving; it is saved now, the address and verification after the code.
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.AlarmNotificationEnabled, alarmNotification), cancellationToken);
        return await proof.SendCodeAsync(userId, sessionId, email!, user.PreferredCulture, ipAddress, userAgent, cancellationToken);
    }

    /// <summary>The code sent to the new address: when it is right, the address (and verification) is saved.</summary>
    public async Task<AddressChangeResult> ConfirmAddressAsync(string userId, string? sessionId, string? code,
        CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        return await proof.ConfirmAsync(userId, sessionId, code, async proved =>
        {
            // The address was checked when the code was sent; since then another user may have taken it, and the
            // rules may have changed (a request outlives an upgrade by up to its lifetime): checked again, as every write is.
            var user = await users.FindByIdAsync(userId);
            var status = user is null || !EmailRules.IsValid(proved.Email) ? AddressChangeStatus.EmailInvalid
                : await EmailOwnership.IsTakenByAnotherAsync(db, users, proved.Email, userId, cancellationToken) ? AddressChangeStatus.EmailTaken
                : await WriteAsync(user, proved.Email, alarmNotification: null, proved.EnableVerification, addressProved: true, sessionId);
            return status == AddressChangeStatus.Saved ? AddressChangeStatus.Confirmed : status;
        }, cancellationToken);
    }

    /// <summary>The protected changes one submission of the Basic tab makes (see <see cref="ReVerificationPolicy.Rules"/>).</summary>
    private static List<ProtectedChange> BasicChanges(ConsoleUser user, string? email, bool alarmNotification, bool emailVerification)
    {
        var changes = new List<ProtectedChange>();
        if (!string.Equals(user.Email ?? "", email ?? "", StringComparison.Ordinal))
        {
            changes.Add(ProtectedChange.ChangeEmail);
        }
        if (alarmNotification != user.AlarmNotificationEnabled)
        {
            changes.Add(ProtectedChange.AlarmSetting);
        }
        if (emailVerification
            && (!user.EmailLoginVerification || !string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            // Turning it on, or moving it to another address: the new address must be proved.
            changes.Add(ProtectedChange.TurnEmailVerificationOn);
        }
        if (!emailVerification && user.EmailLoginVerification)
        {
            changes.Add(ProtectedChange.TurnEmailVerificationOff);
        }
        return changes;
    }

    /// <summary>
    /// Writes a save checked above: <paramref name="email"/> came through <see cref="EmailRules.TryNormalize"/>, whether
    /// another user holds it and the re-verification policy were asked, and <paramref name="user"/> is tracked by this
    /// scope; a race for the address is caught by the unique index. <paramref name="addressProved"/>: the user entered
    /// the code sent to <paramref name="email"/>. <paramref name="alarmNotification"/> null keeps the stored setting.
    /// </summary>
    private async Task<AddressChangeStatus> WriteAsync(ConsoleUser user, string? email, bool? alarmNotification,
        bool emailVerification, bool addressProved, string? sessionId)
    {
        var userId = user.Id;
        var emailChanged = !string.Equals(user.Email, email, StringComparison.Ordinal);
        // Another mailbox, not the same one written in other case: addresses are compared without case everywhere
        // (the normalized column and its unique index, "address taken", the re-verification policy).
        var mailboxChanged = !string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase);
        if (emailVerification && !addressProved && (!user.EmailLoginVerification || mailboxChanged))
        {
            // The invariant behind the proof: verification never goes on, or moves, to an address not proved. The
            // checks above send every such save to AddressProof; this is the backstop.
            return AddressChangeStatus.EmailInvalid;
        }
        user.Email = email;
        user.NormalizedEmail = users.NormalizeEmail(email);
        if (mailboxChanged)
        {
            user.EmailConfirmed = false;
        }
        if (addressProved)
        {
            user.EmailConfirmed = true;
        }
        if (alarmNotification is { } alarm)
        {
            user.AlarmNotificationEnabled = alarm;
        }
        // Verification without an address would lock the user out at the next sign-in.
        user.EmailLoginVerification = emailVerification && email is not null;
        try
        {
            var result = await users.UpdateAsync(user);
            if (!result.Succeeded)
            {
                return result.Errors.Any(e => e.Code.Contains("Email", StringComparison.Ordinal))
                    ? AddressChangeStatus.EmailTaken : AddressChangeStatus.EmailInvalid;
            }
        }
        catch (DbUpdateException)
        {
            // The unique index caught a race with another user taking the same address.
            return AddressChangeStatus.EmailTaken;
        }
        logger.LogInformation("User {UserId} updated basic settings (email changed: {EmailChanged})", userId, emailChanged);
        var origin = await notifier.OriginOfSessionAsync(sessionId);
        await audit.AppendAsync(Audit.AuditKinds.SettingsChanged, userId, user.UserName ?? "", userId, user.UserName,
            addressProved
                ? Audit.AuditDetails.AddressConfirmed(user.EmailLoginVerification)
                : Audit.AuditDetails.BasicSettings(emailChanged, user.EmailLoginVerification, user.AlarmNotificationEnabled),
            origin.IpAddress, origin.UserAgent);
        return AddressChangeStatus.Saved;
    }
}
