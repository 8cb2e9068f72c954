using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// Everything a refused call must not change, as one string: accounts (lockout counters included), roles, sessions
/// and their grants, 2FA keys, pending enrollments, backup codes, address changes, SMTP settings, queued mail and
/// invitations. The audit log is left out: refusals are written there on purpose.
/// </summary>
public static class CoreState
{
    public static Task<string> FingerprintAsync(CoreHost host) => host.WithAsync<ConsoleDbContext, string>(async db =>
    {
        var state = new
        {
            Users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => new
            {
                u.Id, u.UserName, u.Email, u.EmailConfirmed, u.PasswordHash, u.SecurityStamp, u.AccessFailedCount, u.LockoutEnd,
                u.Status, u.AlarmNotificationEnabled, u.EmailLoginVerification, u.TwoFactorEnforced, u.DisplayName, u.Note,
            }).ToListAsync(),
            Roles = await db.UserRoles.AsNoTracking().OrderBy(r => r.UserId).ThenBy(r => r.RoleId).ToListAsync(),
            Sessions = await db.Sessions.AsNoTracking().OrderBy(s => s.Id)
                .Select(s => new { s.Id, s.UserId, s.SecurityStamp, s.ExpiresAt, s.ReVerifiedUntil }).ToListAsync(),
            Authenticators = await db.TotpAuthenticators.AsNoTracking().OrderBy(a => a.UserId).ToListAsync(),
            Enrollments = await db.TotpEnrollments.AsNoTracking().OrderBy(e => e.SessionId).ToListAsync(),
            BackupCodes = await db.BackupCodes.AsNoTracking().OrderBy(c => c.Id).ToListAsync(),
            AddressChanges = await db.EmailChangeRequests.AsNoTracking().OrderBy(r => r.UserId).ToListAsync(),
            Smtp = await db.SmtpSettings.AsNoTracking().ToListAsync(),
            Outbox = await db.OutboxMessages.CountAsync(),
            Invitations = await db.Invitations.CountAsync(),
        };
        return JsonSerializer.Serialize(state);
    });
}
