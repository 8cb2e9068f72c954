using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Core.Security;

namespace RustDesk.Core.Administration;

public enum InvitationStatus
{
    Accepted,
    /// <summary>Unknown, used, expired or forged link: one message for all, so a link cannot be probed.</summary>
    Invalid,
    PasswordRejected,
    PasswordMismatch,
    /// <summary>The password is common, a pattern, or built from the user's or the product's name.</summary>
    PasswordTooWeak,
}

/// <summary>
/// Invitations: an administrator creates a user without a password and the console mails a link valid for
/// <see cref="Lifetime"/>; the link sets the first password once (a conditional update decides) and then dies.
/// Links are built on <see cref="PublicUrlOptions.PublicBaseUrl"/> only: the address a request came in on is chosen
/// by its Host header, and a forged one would mail the token to an attacker's site.
/// </summary>
public sealed class InvitationService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    UserAdministrationService administration,
    Sessions.SessionGuard guard,
    MailOutbox outbox,
    AuditLog audit,
    PasswordRating rating,
    IOptions<PublicUrlOptions> publicUrl,
    TimeProvider time,
    ILogger<InvitationService> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);

    /// <summary>False until <c>Console:PublicBaseUrl</c> is set: invitations cannot be sent, the dialog says so.</summary>
    public bool CanInvite => publicUrl.Value.BaseUri is not null;

    /// <summary>Creates the user (Administrator only, like every user creation) and mails the link built on <c>Console:PublicBaseUrl</c>.</summary>
    public async Task<StaffActionResult> InviteAsync(string actorId, string? actorSessionId, string userName,
        string email, string role, string? culture = null)
    {
        await guard.RequireAsync(actorId, actorSessionId);
        if (publicUrl.Value.BaseUri is not { } baseUri)
        {
            logger.LogWarning("Refused an invitation by {ActorId}: Console:PublicBaseUrl is not set", actorId);
            return (StaffResult.PublicBaseUrlMissing, null);
        }
        if (string.IsNullOrWhiteSpace(email) || !EmailRules.IsValid(email.Trim()))
        {
            return (StaffResult.InvalidInput, null);
        }
        // A random password nobody knows: the account cannot be used until the invitation is accepted.
        // The session was checked above, in this call.
        var (result, userId) = await administration.CreateUserInOpenSessionAsync(actorId, actorSessionId, userName, email.Trim(),
            OpaqueKey.New(), role);
        if (result != StaffResult.Done)
        {
            return (result, null);
        }
        var token = OpaqueKey.New();
        var now = time.GetUtcNow().UtcDateTime;
        db.Invitations.Add(new Invitation { UserId = userId!, TokenHash = OpaqueKey.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync();
        // Relative to the base, so a console served under a path (https://example.com/console/) keeps it.
        var link = new Uri(baseUri, ConsolePaths.Invitation.TrimStart('/') + "?token=" + Uri.EscapeDataString(token)).ToString();
        await outbox.EnqueueAsync(MailTemplates.Build(culture, email.Trim(), "invitation", "Invite.Subject", "Invite.Headline",
        [
            MailTemplates.Text(culture, "Invite.Body", userName.Trim()),
            link,
            MailTemplates.Text(culture, "Invite.Expires", (int)Lifetime.TotalDays),
        ]));
        logger.LogInformation("Invited user {UserId}", userId);
        return (StaffResult.Done, userId);
    }

    /// <summary>Sets the first password through a valid link; the link works once.</summary>
    /// <param name="origin">The IP address and browser of the page that accepted (the audit names them); unknown when null.</param>
    public async Task<InvitationStatus> AcceptAsync(string? token, string? password, string? confirm,
        Notifications.EventOrigin? origin = null)
    {
        var invitation = await FindUsableAsync(token);
        if (invitation is null)
        {
            return InvitationStatus.Invalid;
        }
        if (PasswordRules.Check(password) is not null)
        {
            return InvitationStatus.PasswordRejected;
        }
        if (!string.Equals(password, confirm, StringComparison.Ordinal))
        {
            return InvitationStatus.PasswordMismatch;
        }
        // Rated once: Identity's validator in ResetPasswordAsync finds this rating (PasswordRating) for the same user.
        using var rated = rating.Rate(password, await ContextOfAsync(invitation.UserId));
        if (rated.Problem is not null)
        {
            return InvitationStatus.PasswordTooWeak;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.Invitations.Where(i => i.TokenHash == invitation.TokenHash && i.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.UsedAt, now));
        var user = claimed == 1 ? await users.FindByIdAsync(invitation.UserId) : null;
        if (user is null)
        {
            return InvitationStatus.Invalid;
        }
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password!);
        if (!reset.Succeeded)
        {
            return InvitationStatus.PasswordRejected;
        }
        await audit.AppendAsync(AuditKinds.InvitationAccepted, user.Id, user.UserName ?? "", user.Id, user.UserName,
            ipAddress: origin?.IpAddress, userAgent: origin?.UserAgent);
        return InvitationStatus.Accepted;
    }

    /// <summary>The strength meter of the invitation page: the invited user's name and address are context; nothing for a dead link.</summary>
    public async Task<PasswordVerdict> EvaluatePasswordAsync(string? token, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return PasswordVerdict.Empty;
        }
        // Only for a usable link: the page is anonymous, and the estimator costs CPU.
        var invitation = await FindUsableAsync(token);
        return invitation is null ? PasswordVerdict.Empty : PasswordRules.Evaluate(password, await ContextOfAsync(invitation.UserId));
    }

    private async Task<Invitation?> FindUsableAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }
        var hash = OpaqueKey.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now);
    }

    private async Task<string?[]> ContextOfAsync(string userId) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new[] { u.UserName, u.Email, u.DisplayName })
            .SingleOrDefaultAsync() ?? [];

    /// <summary>Whether a link is still usable (for the page to show the form or the expired message).</summary>
    public async Task<bool> IsValidAsync(string? token) => await FindUsableAsync(token) is not null;
}
