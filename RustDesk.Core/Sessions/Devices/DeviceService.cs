using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.ClientApi;
using RustDesk.Core.Data;
using RustDesk.Core.ReVerification;

namespace RustDesk.Core.Sessions.Devices;

public enum RevokeStatus
{
    Revoked,
    /// <summary>No such session of this user (already gone, or someone else's).</summary>
    NotFound,
    /// <summary>The current session is ended by signing out, not here.</summary>
    IsCurrent,
    ReVerificationRequired,
}

/// <param name="Count">How many sessions ended.</param>
public sealed record RevokeResult(RevokeStatus Status, int Count = 0) : IProtectedChangeResult
{
    public bool ReVerificationRequired => Status == RevokeStatus.ReVerificationRequired;

    public static implicit operator RevokeResult(RevokeStatus status) => new(status);
}

/// <summary>
/// The "Manage Signed Devices" tab: a user lists their sessions and ends one of the others, or all of them. With 2FA
/// on ending one is a protected change (<see cref="ReVerificationPolicy"/>). An ended session is refused on its next
/// request and by every Core call of an open page of it (<see cref="SessionGuard"/>).
/// </summary>
/// <summary>What the devices tab shows of one session; <paramref name="Client"/> is set for a RustDesk client's token.</summary>
public sealed record SessionInfo(
    string Id, string Browser, string OperatingSystem, string IpAddress,
    DateTime CreatedAt, DateTime LastSeenAt, bool IsPersistent, bool IsCurrent, ClientDevice? Client = null);

public sealed class DeviceService(
    ConsoleDbContext db,
    SessionGuard guard,
    ReVerificationPolicy policy,
    Notifications.SecurityNotifier notifier,
    Audit.AuditLog audit,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<ConsoleSessionOptions> options,
    ILogger<DeviceService> logger)
{
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(string userId, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, currentSessionId, cancellationToken: cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = options.Value.AbsoluteCutoff(now);
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.ExpiresAt > now && s.CreatedAt > cutoff)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new { s.Id, s.Kind, s.UserAgent, s.IpAddress, s.CreatedAt, s.LastSeenAt, s.IsPersistent, s.ClientId, s.DeviceOs, s.DeviceType, s.DeviceName })
            .ToListAsync(cancellationToken);
        return rows.Select(r =>
        {
            if (r.Kind == SessionKind.ApiToken)
            {
                var client = new ClientDevice(r.ClientId ?? "", r.DeviceOs ?? "", r.DeviceType ?? "", r.DeviceName ?? "");
                return new SessionInfo(r.Id, "", "", r.IpAddress, r.CreatedAt, r.LastSeenAt, r.IsPersistent, false, client);
            }
            var agent = UserAgentDescription.Parse(r.UserAgent);
            return new SessionInfo(r.Id, agent.Browser, agent.OperatingSystem, r.IpAddress, r.CreatedAt, r.LastSeenAt,
                r.IsPersistent, r.Id == currentSessionId);
        }).ToList();
    }

    public async Task<RevokeResult> RevokeAsync(string userId, string? currentSessionId, string targetSessionId,
        CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, currentSessionId, cancellationToken: cancellationToken);
        if (targetSessionId == currentSessionId)
        {
            return RevokeStatus.IsCurrent;
        }
        if (!await db.Sessions.AnyAsync(s => s.Id == targetSessionId && s.UserId == userId, cancellationToken))
        {
            return RevokeStatus.NotFound;
        }
        if ((await policy.DecideAsync(userId, currentSessionId, ProtectedChange.RevokeDevice, cancellationToken)).ReVerificationRequired)
        {
            return RevokeStatus.ReVerificationRequired;
        }
        var ended = await db.Sessions.Where(s => s.Id == targetSessionId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("User {UserId} signed out one of their other devices", userId);
        await AuditAsync(userId, currentSessionId, Audit.AuditDetails.OneDeviceEnded(), cancellationToken);
        return ended == 1 ? new RevokeResult(RevokeStatus.Revoked, 1) : RevokeStatus.NotFound;
    }

    /// <summary>Ends every session of the user except the current one.</summary>
    public async Task<RevokeResult> RevokeOthersAsync(string userId, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, currentSessionId, cancellationToken: cancellationToken);
        if ((await policy.DecideAsync(userId, currentSessionId, ProtectedChange.RevokeOtherDevices, cancellationToken)).ReVerificationRequired)
        {
            return RevokeStatus.ReVerificationRequired;
        }
        var ended = await db.Sessions.Where(s => s.UserId == userId && s.Id != currentSessionId).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("User {UserId} signed out {Count} other devices", userId, ended);
        await AuditAsync(userId, currentSessionId, Audit.AuditDetails.OtherDevicesEnded(ended), cancellationToken);
        return new RevokeResult(RevokeStatus.Revoked, ended);
    }

    private async Task AuditAsync(string userId, string? currentSessionId, Audit.AuditDetail detail, CancellationToken cancellationToken)
    {
        var origin = await notifier.OriginOfSessionAsync(currentSessionId, cancellationToken);
        // The user ended their own sessions: they are actor and target, named in both columns of the audit page.
        var userName = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
        await audit.AppendAsync(Audit.AuditKinds.DeviceSignedOut, userId, userName ?? "", userId, userName, detail, origin.IpAddress,
            origin.UserAgent, cancellationToken);
    }
}
