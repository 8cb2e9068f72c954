using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
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
}

/// <summary>
/// Invitations: an administrator creates a user without a password and the console mails a link valid for
/// <see cref="Lifetime"/>; the link sets the first password once (a conditional update decides) and then dies.
/// </summary>
public sealed class InvitationService(
    ConsoleDbContext db,
    UserManager<ConsoleUser> users,
    UserAdministrationService administration,
    MailOutbox outbox,
    AuditLog audit,
    TimeProvider time,
    ILogger<InvitationService> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);

    /// <summary>Creates the user (Administrator only, like every user creation) and mails the link built on <paramref name="linkBase"/>.</summary>
    public async Task<StaffActionResult> InviteAsync(string actorId, string? actorSessionId, string userName,
        string email, string role, string linkBase, string? culture = null)
    {
        if (string.IsNullOrWhiteSpace(email) || !EmailRules.IsValid(email.Trim()) || !Uri.TryCreate(linkBase, UriKind.Absolute, out var baseUri)
            || baseUri.Scheme is not ("http" or "https"))
        {
            return (StaffResult.InvalidInput, null);
        }
        // A random password nobody knows: the account cannot be used until the invitation is accepted.
        var (result, userId) = await administration.CreateUserAsync(actorId, actorSessionId, userName, email.Trim(),
            OpaqueKey.New(), role);
        if (result != StaffResult.Done)
        {
            return (result, null);
        }
        var token = OpaqueKey.New();
        var now = time.GetUtcNow().UtcDateTime;
        db.Invitations.Add(new Invitation { UserId = userId!, TokenHash = OpaqueKey.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync();
        var link = new Uri(baseUri, "/account/invitation?token=" + Uri.EscapeDataString(token)).ToString();
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
    public async Task<InvitationStatus> AcceptAsync(string? token, string? password, string? confirm)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return InvitationStatus.Invalid;
        }
        var hash = OpaqueKey.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now);
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
        var claimed = await db.Invitations.Where(i => i.TokenHash == hash && i.UsedAt == null)
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
        await audit.AppendAsync(AuditKinds.InvitationAccepted, user.Id, user.UserName ?? "", user.Id, user.UserName);
        return InvitationStatus.Accepted;
    }

    /// <summary>Whether a link is still usable (for the page to show the form or the expired message).</summary>
    public async Task<bool> IsValidAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return false;
        }
        var hash = OpaqueKey.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Invitations.AnyAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now);
    }
}
