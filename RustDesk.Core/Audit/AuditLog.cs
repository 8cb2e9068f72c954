using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.Audit;

/// <summary>Appends to and reads the audit log. There is deliberately no method that changes or removes an event.</summary>
public sealed class AuditLog(ConsoleDbContext db, TimeProvider time)
{
    public const string CommandLineActor = "command line";

    public async Task AppendAsync(string kind, string? actorUserId, string actorName, string? targetUserId = null,
        string? targetName = null, string? detail = null, string? ipAddress = null, string? userAgent = null,
        CancellationToken cancellationToken = default)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            ActorUserId = actorUserId,
            ActorName = Truncate(actorName, 256),
            TargetUserId = targetUserId,
            TargetName = targetName is null ? null : Truncate(targetName, 256),
            Detail = Truncate(detail ?? "", AuditEvent.MaxDetailLength),
            IpAddress = Truncate(ipAddress ?? "", Sessions.UserSession.MaxIpLength),
            UserAgent = Truncate(userAgent ?? "", Sessions.UserSession.MaxUserAgentLength),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The newest events first, optionally only those about one user (as actor or target).</summary>
    public async Task<IReadOnlyList<AuditEvent>> RecentAsync(int count, string? userId = null, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (userId is not null)
        {
            query = query.Where(e => e.ActorUserId == userId || e.TargetUserId == userId);
        }
        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(count, 1, 500)).ToListAsync(cancellationToken);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
