using Microsoft.AspNetCore.Identity;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Audit;

/// <summary>The read side of the audit log: search filters, paging, and who may read it.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private CoreHost _host = default!;
    private string _adminId = "";

    public async Task InitializeAsync()
    {
        _host = await new CoreHost().InitializeAsync();
        _adminId = (await _host.FindUserAsync(DatabaseInitializer.AdminUserName))!.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task AppendAsync(string kind, string? actorId, string actorName, string? targetId = null, string? targetName = null,
        string? ip = null) =>
        _host.WithAsync<AuditLog, bool>(async log =>
        {
            await log.AppendAsync(kind, actorId, actorName, targetId, targetName, ipAddress: ip);
            // One minute between events, so time ranges and "newest first" have something to tell apart.
            _host.Time.Advance(TimeSpan.FromMinutes(1));
            return true;
        });

    private Task<AuditPage> SearchAsync(AuditQuery query) => _host.WithAsync<AuditLog, AuditPage>(log => log.SearchAsync(query));

    private async Task<AuditPage> SearchAsAsync(string actingUserId, AuditQuery query)
    {
        var session = await _host.SessionIdOfAsync(actingUserId);
        return await _host.WithAsync<AuditLog, AuditPage>(log => log.SearchAsAsync(actingUserId, session, query));
    }

    /// <summary>Events 0..count-1, each with its index in the detail, written a minute apart.</summary>
    private async Task SeedNumberedAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _host.WithAsync<AuditLog, bool>(async log =>
            {
                await log.AppendAsync(AuditKinds.SettingsChanged, null, "system", detail: i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return true;
            });
            _host.Time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task Search_KindPrefix_ReturnsOnlyThatGroup()
    {
        await AppendAsync(AuditKinds.SignInSucceeded, "u1", "jane");
        await AppendAsync(AuditKinds.TwoFactorEnabled, "u1", "jane");
        await AppendAsync(AuditKinds.SignInFailed, null, "mallory");
        await AppendAsync(AuditKinds.BackupCodeUsed, "u1", "jane");

        var page = await SearchAsync(new AuditQuery(KindPrefix: AuditKindGroups.SignIn));

        Assert.Equal(2, page.Total);
        Assert.Equal([AuditKinds.SignInFailed, AuditKinds.SignInSucceeded], page.Items.Select(e => e.Kind));
    }

    [Fact]
    public async Task Search_UserId_MatchesActorOrTarget()
    {
        await AppendAsync(AuditKinds.SignInSucceeded, "jane-id", "jane");
        await AppendAsync(AuditKinds.RecoveryResetTwoFactor, null, AuditLog.CommandLineActor, "jane-id", "jane");
        await AppendAsync(AuditKinds.SignInSucceeded, "bob-id", "bob");

        var page = await SearchAsync(new AuditQuery(UserId: "jane-id"));

        Assert.Equal(2, page.Total);
        Assert.All(page.Items, e => Assert.True(e.ActorUserId == "jane-id" || e.TargetUserId == "jane-id"));
    }

    [Theory]
    [InlineData("jane", 2)]      // actor of one event, target of another
    [InlineData("JANE", 2)]      // case does not matter
    [InlineData("10.0.0", 1)]    // IP address
    [InlineData("bob", 1)]
    [InlineData("%", 0)]         // a LIKE wildcard is searched for literally, not as "anything"
    [InlineData("nobody", 0)]
    public async Task Search_Text_MatchesActorTargetOrIp(string text, int expected)
    {
        await AppendAsync(AuditKinds.SignInSucceeded, "jane-id", "jane", ip: "192.168.1.5");
        await AppendAsync(AuditKinds.RecoveryResetTwoFactor, null, AuditLog.CommandLineActor, "jane-id", "jane");
        await AppendAsync(AuditKinds.SignInFailed, "bob-id", "bob", ip: "10.0.0.7");

        var page = await SearchAsync(new AuditQuery(Text: text));

        Assert.Equal(expected, page.Total);
    }

    [Fact]
    public async Task Search_TimeRange_FromInclusiveToExclusive()
    {
        var start = _host.Time.GetUtcNow().UtcDateTime;
        await SeedNumberedAsync(5); // at start, +1, +2, +3, +4 minutes

        var page = await SearchAsync(new AuditQuery(From: start.AddMinutes(1), To: start.AddMinutes(3)));

        Assert.Equal(["2", "1"], page.Items.Select(e => e.Detail));
    }

    [Fact]
    public async Task Search_SeveralPages_NewestFirstWithoutOverlap()
    {
        await SeedNumberedAsync(7);

        var first = await SearchAsync(new AuditQuery(Page: 0, PageSize: 3));
        var second = await SearchAsync(new AuditQuery(Page: 1, PageSize: 3));
        var third = await SearchAsync(new AuditQuery(Page: 2, PageSize: 3));

        Assert.Equal(["6", "5", "4"], first.Items.Select(e => e.Detail));
        Assert.Equal(["3", "2", "1"], second.Items.Select(e => e.Detail));
        Assert.Equal(["0"], third.Items.Select(e => e.Detail));
        Assert.All([first, second, third], p => Assert.Equal(7, p.Total));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(1000, AuditLog.MaxPageSize)]
    [InlineData(int.MaxValue, AuditLog.MaxPageSize)]
    public async Task Search_PageSizeOutOfRange_IsClamped(int requested, int expected)
    {
        await SeedNumberedAsync(3);

        var page = await SearchAsync(new AuditQuery(PageSize: requested));

        Assert.Equal(expected, page.PageSize);
        Assert.Equal(Math.Min(expected, 3), page.Items.Count);
    }

    [Fact]
    public async Task Search_NegativePage_IsTheFirstPage()
    {
        await SeedNumberedAsync(3);

        var page = await SearchAsync(new AuditQuery(Page: -3, PageSize: 2));

        Assert.Equal(0, page.Page);
        Assert.Equal(["2", "1"], page.Items.Select(e => e.Detail));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(int.MaxValue)] // page * size would overflow int
    public async Task Search_PagePastTheEnd_IsEmptyWithTheRealTotal(int pageNumber)
    {
        await SeedNumberedAsync(3);

        var page = await SearchAsync(new AuditQuery(Page: pageNumber, PageSize: 200));

        Assert.Empty(page.Items);
        Assert.Equal(3, page.Total);
    }

    [Fact]
    public async Task SearchAs_Administrator_ReturnsThePage()
    {
        await AppendAsync(AuditKinds.SignInSucceeded, _adminId, "admin");

        var page = await SearchAsAsync(_adminId, new AuditQuery());

        Assert.Equal(1, page.Total);
    }

    [Theory]
    [InlineData(Roles.User)]
    [InlineData(Roles.Support)]
    public async Task SearchAs_NotAnAdministrator_IsRefused(string role)
    {
        var user = await _host.CreateUserAsync("staff", Password, role);
        await AppendAsync(AuditKinds.SignInSucceeded, user.Id, "staff");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => SearchAsAsync(user.Id, new AuditQuery()));
        Assert.Contains(_host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(user.Id, StringComparison.Ordinal)
            && l.Contains("audit log", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAs_DisabledAdministrator_IsRefused()
    {
        var other = await _host.CreateUserAsync("second-admin", Password, Roles.Administrator);
        await _host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(async users =>
        {
            var user = (await users.FindByIdAsync(other.Id))!;
            user.Status = UserStatus.Disabled;
            return await users.UpdateAsync(user);
        });

        // A disabled account has no valid session: the session guard refuses before the role check.
        await Assert.ThrowsAsync<RustDesk.Core.Sessions.SessionRefusedException>(() => SearchAsAsync(other.Id, new AuditQuery()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-such-user")]
    public async Task SearchAs_UnknownActor_IsRefused(string actingUserId)
    {
        await Assert.ThrowsAsync<RustDesk.Core.Sessions.SessionRefusedException>(() => SearchAsAsync(actingUserId, new AuditQuery()));
    }
}
