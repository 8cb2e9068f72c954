using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;

namespace RustDesk.Core.Administration;

public enum UserSortField
{
    UserName,
    Email,
    Created,
    TwoFactorState,
}

/// <summary>One page of the user list as staff ask for it; every filter is optional (null = any).</summary>
public sealed record UserQuery
{
    /// <summary>Part of a user name or email, matched case-insensitively.</summary>
    public string? Search { get; init; }

    /// <summary>Zero-based; negative values mean the first page, values past the end the last page.</summary>
    public int Page { get; init; }

    /// <summary>Clamped to 1..<see cref="UserDirectory.MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = 25;

    public UserSortField SortBy { get; init; } = UserSortField.UserName;

    public bool Descending { get; init; }

    public TwoFactorState? TwoFactor { get; init; }

    public bool? TwoFactorEnforced { get; init; }

    /// <summary>The user's "email login verification" setting.</summary>
    public bool? EmailVerification { get; init; }

    public UserStatus? Status { get; init; }
}

public sealed record UserRow(string Id, string UserName, string DisplayName, string Note, string? Email, IReadOnlyList<string> Roles,
    TwoFactorState TwoFactor, bool TwoFactorEnforced, bool EmailVerification, UserStatus Status, bool LockedOut, DateTime CreatedAt)
{
    public bool IsAdministrator => Roles.Contains(Accounts.Roles.Administrator);

    /// <summary>Administrators and Support staff: only administrators act on them (<see cref="StaffPermissions"/>).</summary>
    public bool IsStaff => IsAdministrator || Roles.Contains(Accounts.Roles.Support);
}

/// <param name="Page">The page actually returned (after clamping).</param>
/// <param name="PageSize">The page size actually used (after clamping).</param>
public sealed record UserPage(IReadOnlyList<UserRow> Items, int Total, int Page, int PageSize);

/// <summary>
/// The read side of user administration: searching, filtering, sorting and paging run in the database, so the list
/// stays fast with thousands of users. Only administrators and support staff may list users; support sees
/// administrators too (to know whom to escalate to), but <see cref="UserAdministrationService"/> refuses them any action.
/// </summary>
public sealed class UserDirectory(ConsoleDbContext db, UserManager<ConsoleUser> users, Sessions.SessionGuard guard,
    IOptions<TwoFactorOptions> twoFactor, TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <exception cref="Sessions.SessionRefusedException">The actor's session has ended (or must enroll first).</exception>
    /// <exception cref="UnauthorizedAccessException">The actor is not an active administrator or support user.</exception>
    public async Task<UserPage> SearchAsync(string actorId, string? actorSessionId, UserQuery query, CancellationToken cancellationToken = default)
    {
        await guard.RequireAsync(actorId, actorSessionId, cancellationToken: cancellationToken);
        await EnsureStaffAsync(actorId);
        var now = time.GetUtcNow();
        // Expired means the secret is older than ExpiryDays, the same rule as TwoFactorService.GetStatusAsync.
        var expiredAt = now.UtcDateTime.AddDays(-twoFactor.Value.ExpiryDays);
        var rows = db.Users.AsNoTracking().Select(u => new
        {
            User = u,
            // Only a TOTP key expires.
            TwoFactor = db.TotpAuthenticators.Any(a => a.UserId == u.Id && a.SecretChangedAt <= expiredAt) ? TwoFactorState.Expired
                : db.UserIdsWithTwoFactor().Contains(u.Id) ? TwoFactorState.Enabled
                : TwoFactorState.NotEnabled,
        });

        var search = users.NormalizeName(query.Search);
        if (!string.IsNullOrEmpty(search))
        {
            rows = rows.Where(r => r.User.NormalizedUserName!.Contains(search) || r.User.NormalizedEmail!.Contains(search));
        }
        if (query.TwoFactor is { } state)
        {
            rows = rows.Where(r => r.TwoFactor == state);
        }
        if (query.TwoFactorEnforced is { } enforced)
        {
            rows = rows.Where(r => r.User.TwoFactorEnforced == enforced);
        }
        if (query.EmailVerification is { } verification)
        {
            rows = rows.Where(r => r.User.EmailLoginVerification == verification);
        }
        if (query.Status is { } status)
        {
            rows = rows.Where(r => r.User.Status == status);
        }

        var total = await rows.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var lastPage = Math.Max(0, (total - 1) / pageSize);
        var page = Math.Clamp(query.Page, 0, lastPage);

        var sorted = (query.SortBy, query.Descending) switch
        {
            (UserSortField.Email, false) => rows.OrderBy(r => r.User.NormalizedEmail),
            (UserSortField.Email, true) => rows.OrderByDescending(r => r.User.NormalizedEmail),
            (UserSortField.Created, false) => rows.OrderBy(r => r.User.CreatedAt),
            (UserSortField.Created, true) => rows.OrderByDescending(r => r.User.CreatedAt),
            (UserSortField.TwoFactorState, false) => rows.OrderBy(r => r.TwoFactor),
            (UserSortField.TwoFactorState, true) => rows.OrderByDescending(r => r.TwoFactor),
            (_, false) => rows.OrderBy(r => r.User.NormalizedUserName),
            (_, true) => rows.OrderByDescending(r => r.User.NormalizedUserName),
        };
        // A unique tie-breaker keeps pages stable when many rows share a sort value.
        var items = await sorted.ThenBy(r => r.User.Id).Skip(page * pageSize).Take(pageSize)
            .Select(r => new
            {
                r.User.Id, r.User.UserName, r.User.DisplayName, r.User.Note, r.User.Email, r.TwoFactor, r.User.TwoFactorEnforced,
                r.User.EmailLoginVerification, r.User.Status, r.User.LockedOutUntil, r.User.CreatedAt,
            })
            .ToListAsync(cancellationToken);

        var ids = items.Select(i => i.Id).ToList();
        var roles = (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Name ?? "");

        var result = items.Select(i => new UserRow(i.Id, i.UserName ?? "", i.DisplayName, i.Note, i.Email, roles[i.Id].Order(StringComparer.Ordinal).ToList(),
            i.TwoFactor, i.TwoFactorEnforced, i.EmailLoginVerification, i.Status, i.LockedOutUntil is { } end && end > now.UtcDateTime, i.CreatedAt)).ToList();
        return new UserPage(result, total, page, pageSize);
    }

    private async Task EnsureStaffAsync(string actorId)
    {
        var actor = await users.FindByIdAsync(actorId);
        if (actor is null || actor.Status != UserStatus.Active)
        {
            throw new UnauthorizedAccessException("Only administrators and support staff may list users.");
        }
        var roles = await users.GetRolesAsync(actor);
        if (!roles.Contains(Roles.Administrator) && !roles.Contains(Roles.Support))
        {
            throw new UnauthorizedAccessException("Only administrators and support staff may list users.");
        }
    }
}
