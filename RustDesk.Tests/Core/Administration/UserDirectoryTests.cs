using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Administration;
using RustDesk.Core.Data;
using RustDesk.Core.TwoFactor;
using RustDesk.Core.TwoFactor.Settings;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Administration;

/// <summary>The user list over 3,000 users on SQLite: search, filters, sorting and paging all in the database.</summary>
public sealed class UserDirectoryTests : IAsyncLifetime
{
    private const int Seeded = 3000;
    private const int ExpiryDays = 180;
    private CoreHost _host = default!;
    private string _adminId = "";

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _adminId = (await _host.FindUserAsync(DatabaseInitializer.AdminUserName))!.Id;
        await SeedAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>
    /// user0000..user2999 (display names only, no passwords: this is about listing). Every 10th has 2FA: those with
    /// i % 20 == 0 enabled a year ago (expired), the others a day ago. Every 7th is enforced, every 5th has email
    /// verification, every 50th is disabled. user0001 is locked out.
    /// </summary>
    private async Task SeedAsync()
    {
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        for (var i = 0; i < Seeded; i++)
        {
            var name = $"user{i:D4}";
            var id = $"id-{i:D4}";
            db.Users.Add(new ConsoleUser
            {
                Id = id, UserName = name, NormalizedUserName = name.ToUpperInvariant(),
                Email = $"{name}@example.com", NormalizedEmail = $"{name}@EXAMPLE.COM".ToUpperInvariant(),
                DisplayName = "User " + i, SecurityStamp = Guid.NewGuid().ToString(),
                CreatedAt = now.AddMinutes(-i - 1),
                TwoFactorEnforced = i % 7 == 0,
                EmailLoginVerification = i % 5 == 0,
                Status = i % 50 == 0 ? UserStatus.Disabled : UserStatus.Active,
                LockedOutUntil = i == 1 ? now.AddHours(1) : null,
            });
            if (i % 10 == 0)
            {
                var changed = i % 20 == 0 ? now.AddDays(-365) : now.AddDays(-1);
                db.TotpAuthenticators.Add(new TotpAuthenticator { UserId = id, ProtectedSecret = "x", EnabledAt = changed, SecretChangedAt = changed });
            }
        }
        await db.SaveChangesAsync();
    }

    private async Task<UserPage> SearchAsync(UserQuery query, string? actorId = null)
    {
        var actor = actorId ?? _adminId;
        var session = await _host.SessionIdOfAsync(actor);
        return await _host.WithAsync<UserDirectory, UserPage>(d => d.SearchAsync(actor, session, query));
    }

    [Fact]
    public async Task Search_NoFilter_ReturnsOnePageAndTheTotal()
    {
        var page = await SearchAsync(new UserQuery { Page = 2, PageSize = 50 });

        Assert.Equal(Seeded + 1, page.Total); // and admin
        Assert.Equal(50, page.Items.Count);
        Assert.Equal((2, 50), (page.Page, page.PageSize));
        // "admin" sorts first, so page 2 (items 100..149) starts at user0099.
        Assert.Equal("user0099", page.Items[0].UserName);
        Assert.Equal("user0148", page.Items[^1].UserName);
    }

    [Fact]
    public async Task Search_ByNameOrEmailFragment_IsCaseInsensitive()
    {
        var byName = await SearchAsync(new UserQuery { Search = "USER012", PageSize = 200 });
        var byEmail = await SearchAsync(new UserQuery { Search = "r2999@Example", PageSize = 200 });

        Assert.Equal(10, byName.Total);
        Assert.All(byName.Items, r => Assert.StartsWith("user012", r.UserName));
        Assert.Equal("user2999", Assert.Single(byEmail.Items).UserName);
    }

    [Theory]
    [InlineData(TwoFactorState.NotEnabled, 2701)] // 2,700 seeded without 2FA, and admin
    [InlineData(TwoFactorState.Enabled, 150)]
    [InlineData(TwoFactorState.Expired, 150)]
    public async Task Search_ByTwoFactorState_CountsAgainstTheExpiryDays(TwoFactorState state, int expected)
    {
        var page = await SearchAsync(new UserQuery { TwoFactor = state, PageSize = 200 });

        Assert.Equal(expected, page.Total);
        Assert.All(page.Items, r => Assert.Equal(state, r.TwoFactor));
    }

    [Fact]
    public async Task Search_TwoFactorAtTheExpiryBoundary_IsExpired()
    {
        _host.Time.Advance(TimeSpan.FromDays(ExpiryDays - 1)); // the "a day ago" keys are now exactly ExpiryDays old

        var page = await SearchAsync(new UserQuery { TwoFactor = TwoFactorState.Expired, PageSize = 1 });

        Assert.Equal(300, page.Total);
    }

    [Fact]
    public async Task Search_CombinedFilters_ApplyTogether()
    {
        var page = await SearchAsync(new UserQuery
        {
            TwoFactorEnforced = true, EmailVerification = true, Status = UserStatus.Active, PageSize = 200,
        });

        // Multiples of 35 below 3000 (86 of them) minus multiples of 350 (9: disabled, as multiples of 50).
        Assert.Equal(77, page.Total);
        Assert.All(page.Items, r => Assert.True(r.TwoFactorEnforced && r.EmailVerification && r.Status == UserStatus.Active));
    }

    [Fact]
    public async Task Search_Rows_CarryRolesAndLockout()
    {
        var page = await SearchAsync(new UserQuery { Search = "user0001" });
        var admin = await SearchAsync(new UserQuery { Search = "admin" });

        var row = Assert.Single(page.Items);
        Assert.True(row.LockedOut);
        Assert.Equal(("User 1", "user0001@example.com"), (row.DisplayName, row.Email));
        var adminRow = Assert.Single(admin.Items);
        Assert.True(adminRow.IsAdministrator);
        Assert.False(adminRow.LockedOut);
    }

    [Theory]
    [InlineData(UserSortField.UserName, false, "admin")]
    [InlineData(UserSortField.UserName, true, "user2999")]
    [InlineData(UserSortField.Email, true, "user2999")]
    [InlineData(UserSortField.Created, false, "user2999")] // created earliest
    [InlineData(UserSortField.Created, true, "admin")]
    [InlineData(UserSortField.TwoFactorState, true, "user0000")] // expired first, then by id
    public async Task Search_Sorted_PutsTheExpectedUserFirst(UserSortField field, bool descending, string first)
    {
        var page = await SearchAsync(new UserQuery { SortBy = field, Descending = descending, PageSize = 1 });

        Assert.Equal(first, Assert.Single(page.Items).UserName);
    }

    [Theory]
    [InlineData(-5, 10, 0, 10)]
    [InlineData(0, 0, 0, 1)]
    [InlineData(0, -3, 0, 1)]
    [InlineData(0, 100_000, 0, 200)]
    [InlineData(int.MaxValue, 25, 120, 25)] // 3,001 rows: the last page holds one
    public async Task Search_PagingOutOfRange_IsClamped(int askedPage, int askedSize, int page, int size)
    {
        var result = await SearchAsync(new UserQuery { Page = askedPage, PageSize = askedSize });

        Assert.Equal((page, size), (result.Page, result.PageSize));
        Assert.Equal(Math.Min(size, Seeded + 1 - page * size), result.Items.Count);
    }

    [Fact]
    public async Task Search_NothingMatches_ReturnsAnEmptyFirstPage()
    {
        var result = await SearchAsync(new UserQuery { Search = "nobody-like-this", Page = 3 });

        Assert.Equal((0, 0), (result.Total, result.Page));
        Assert.Empty(result.Items);
    }

    [Fact]
    public async Task Search_BySupport_SeesEveryoneIncludingAdministrators()
    {
        var support = await _host.CreateUserAsync("helpdesk", "support password 1", Roles.Support);

        var result = await SearchAsync(new UserQuery { Search = "admin" }, support.Id);

        Assert.True(Assert.Single(result.Items).IsAdministrator);
    }

    [Fact]
    public async Task Search_ByPlainUser_IsRefused()
    {
        var user = await _host.CreateUserAsync("plain", "plain password 12", Roles.User);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => SearchAsync(new UserQuery(), user.Id));
        await Assert.ThrowsAsync<RustDesk.Core.Sessions.SessionRefusedException>(() => SearchAsync(new UserQuery(), "no-such-id"));
    }
}
