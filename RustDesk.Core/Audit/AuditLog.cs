using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Data;

namespace RustDesk.Core.Audit;

/// <summary>What the audit page asks for; out-of-range paging is clamped, never an error.</summary>
public sealed record AuditQuery(int Page = 0, int PageSize = 50, string? KindPrefix = null, string? UserId = null, string? Text = null,
    DateTime? From = null, DateTime? To = null);

public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, int Total, int Page, int PageSize);

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

    /// <summary>One page of events, newest first, filtered by kind prefix, user (actor or target) and time range.</summary>
    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var page = Math.Max(0, query.Page);
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.KindPrefix))
        {
            var prefix = query.KindPrefix.Trim();
            events = events.Where(e => e.Kind.StartsWith(prefix));
        }
        if (!string.IsNullOrWhiteSpace(query.UserId))
        {
            events = events.Where(e => e.ActorUserId == query.UserId || e.TargetUserId == query.UserId);
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            events = events.Where(e => e.ActorName.Contains(text) || (e.TargetName != null && e.TargetName.Contains(text)) || e.IpAddress.Contains(text));
        }
        if (query.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (query.To is { } to)
        {
            events = events.Where(e => e.At < to);
        }
        var total = await events.CountAsync(cancellationToken);
        var items = await events.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new AuditPage(items, total, page, pageSize);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
