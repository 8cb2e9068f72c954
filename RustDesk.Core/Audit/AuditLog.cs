using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Audit;

/// <summary>What the audit page asks for; out-of-range paging is clamped, never an error.</summary>
public sealed record AuditQuery(int Page = 0, int PageSize = 50, string? KindPrefix = null, string? UserId = null, string? Text = null,
    DateTime? From = null, DateTime? To = null);

public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, int Total, int Page, int PageSize);

/// <summary>The kind prefixes the audit page filters by: every <see cref="AuditKinds"/> value starts with one of them.</summary>
public static class AuditKindGroups
{
    public const string SignIn = "sign-in.";
    public const string TwoFactor = "2fa.";
    public const string ReVerification = "reverification.";
    public const string Settings = "settings.";
    public const string Session = "session.";
    public const string Recovery = "recovery.";
    public const string Staff = "staff.";
    public const string Alarm = "alarm.";
}

/// <summary>
/// Appends to and reads the audit log. There is deliberately no method that removes an event, and none that changes one
/// except the count of an aggregate row (<see cref="AppendAggregatedAsync"/>).
/// <see cref="SearchAsAsync"/> is what the audit page calls: only an active administrator reads the whole log.
/// Support is refused on purpose: the Support permissions cover acting on non-administrators, not reading
/// what administrators did, and a log filtered per reader would hide the very entries an investigation needs.
/// </summary>
public sealed class AuditLog(ConsoleDbContext db, Sessions.SessionGuard guard, TimeProvider time, ILogger<AuditLog> logger)
{
    public const string CommandLineActor = AuditActors.CommandLine;

    /// <summary>The largest page <see cref="SearchAsync"/> returns; larger requests are clamped to it.</summary>
    public const int MaxPageSize = 200;

    public async Task AppendAsync(string kind, string? actorUserId, string actorName, string? targetUserId = null,
        string? targetName = null, AuditDetail? detail = null, string? ipAddress = null, string? userAgent = null,
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
            Detail = Truncate(detail?.Text ?? "", AuditEvent.MaxDetailLength),
            DetailKey = KeyOf(detail),
            DetailArgs = ArgsOf(detail),
            IpAddress = Truncate(ipAddress ?? "", Sessions.UserSession.MaxIpLength),
            UserAgent = Truncate(userAgent ?? "", Sessions.UserSession.MaxUserAgentLength),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Failed attempts of one group are counted in one row per this period.</summary>
    public static readonly TimeSpan AggregationPeriod = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Counts an event in the one row for <paramref name="kind"/>, <paramref name="group"/> (e.g. an IP address) and the
    /// current minute, creating the row for the first: a flood of attempts adds a number, not a row each. The row's
    /// time is its first event's. Parallel calls are safe: an atomic increment, and a unique key for the insert race.
    /// </summary>
    public async Task AppendAggregatedAsync(string kind, string group, string? actorUserId, string actorName, string? targetUserId = null,
        string? targetName = null, AuditDetail? detail = null, string? ipAddress = null, string? userAgent = null,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var period = now.Ticks / AggregationPeriod.Ticks;
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{kind}\n{group}\n{period}")));
        if (await CountAsync(key, cancellationToken))
        {
            return;
        }
        var row = new AuditEvent
        {
            At = now,
            Kind = kind,
            ActorUserId = actorUserId,
            ActorName = Truncate(actorName, 256),
            TargetUserId = targetUserId,
            TargetName = targetName is null ? null : Truncate(targetName, 256),
            Detail = Truncate(detail?.Text ?? "", AuditEvent.MaxDetailLength),
            DetailKey = KeyOf(detail),
            DetailArgs = ArgsOf(detail),
            IpAddress = Truncate(ipAddress ?? "", Sessions.UserSession.MaxIpLength),
            UserAgent = Truncate(userAgent ?? "", Sessions.UserSession.MaxUserAgentLength),
            Count = 1,
            AggregateKey = key,
        };
        db.AuditEvents.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created the row first: count this event there.
            db.Entry(row).State = EntityState.Detached;
            await CountAsync(key, cancellationToken);
        }
    }

    private async Task<bool> CountAsync(string aggregateKey, CancellationToken cancellationToken) =>
        await db.AuditEvents.Where(e => e.AggregateKey == aggregateKey)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.Count, e => e.Count + 1), cancellationToken) == 1;

    /// <summary>
    /// The newest events about the user's own account, for "Recent activity" on a page of their session: what they did
    /// to it, what staff and the system did to it, failed attempts on it; not what they did to others as staff.
    /// </summary>
    public async Task<IReadOnlyList<AuditEvent>> RecentAsync(string userId, string? sessionId, int count, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(userId, sessionId, cancellationToken: cancellationToken);
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetUserId == userId)
            .OrderByDescending(e => e.Id).Take(Math.Clamp(count, 1, 500)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// <see cref="SearchAsync"/> for the audit page: throws <see cref="Sessions.SessionRefusedException"/> for an ended
    /// session and <see cref="UnauthorizedAccessException"/> unless <paramref name="actingUserId"/> is an active administrator.
    /// </summary>
    public async Task<AuditPage> SearchAsAsync(string actingUserId, string? sessionId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(actingUserId, sessionId, cancellationToken: cancellationToken);
        // Roles are read from the tables rather than through UserManager: services that UserManager's sign-in path
        // depends on write to this log, and the log depending on UserManager back would risk a DI cycle.
        var isAdministrator = !string.IsNullOrEmpty(actingUserId) && await db.Users
            .Where(u => u.Id == actingUserId && u.Status == UserStatus.Active)
            .Join(db.UserRoles, u => u.Id, ur => ur.UserId, (u, ur) => ur.RoleId)
            .Join(db.Roles, roleId => roleId, r => r.Id, (roleId, r) => r.Name)
            .AnyAsync(name => name == Roles.Administrator, cancellationToken);
        if (!isAdministrator)
        {
            logger.LogWarning("Refused user {UserId} the audit log: not an active administrator", actingUserId);
            throw new UnauthorizedAccessException("Only administrators may read the audit log.");
        }
        return await SearchAsync(query, cancellationToken);
    }

    /// <summary>
    /// One page of events, newest first, filtered by kind prefix, user (actor or target), text (actor, target or IP,
    /// case-insensitive for ASCII) and time range (<c>From</c> inclusive, <c>To</c> exclusive). Page size is clamped to
    /// 1..<see cref="MaxPageSize"/>, a negative page is page 0, a page past the end is empty with the real total.
    /// </summary>
    internal async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
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
            // LIKE with the wildcards escaped: case-insensitive on SQLite and on SQL Server's default collation alike.
            var pattern = "%" + EscapeLike(query.Text.Trim()) + "%";
            events = events.Where(e => EF.Functions.Like(e.ActorName, pattern, LikeEscape)
                || (e.TargetName != null && EF.Functions.Like(e.TargetName, pattern, LikeEscape))
                || EF.Functions.Like(e.IpAddress, pattern, LikeEscape));
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
        // In long arithmetic: page * pageSize overflows int for a page number typed into a URL or a request.
        var skip = (long)page * pageSize;
        IReadOnlyList<AuditEvent> items = skip >= total
            ? []
            : await events.OrderByDescending(e => e.Id).Skip((int)skip).Take(pageSize).ToListAsync(cancellationToken);
        return new AuditPage(items, total, page, pageSize);
    }

    private const string LikeEscape = "\\";

    private static string EscapeLike(string text) =>
        text.Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal)
            .Replace("[", LikeEscape + "[", StringComparison.Ordinal);

    private static string? KeyOf(AuditDetail? detail) =>
        string.IsNullOrEmpty(detail?.Key) ? null : Truncate(detail.Key, AuditEvent.MaxDetailKeyLength);

    /// <summary>The arguments as JSON; arguments too long for the column are shortened rather than the JSON cut.</summary>
    private static string? ArgsOf(AuditDetail? detail)
    {
        if (string.IsNullOrEmpty(detail?.Key))
        {
            return null;
        }
        var args = detail.Args.Select(a => Truncate(a, 256)).ToArray();
        var json = System.Text.Json.JsonSerializer.Serialize(args);
        return json.Length <= AuditEvent.MaxDetailLength ? json : "[]";
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
