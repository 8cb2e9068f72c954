using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Core.Sessions.Devices;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Tests.Core.Sessions;

/// <summary><see cref="SessionService.IsValidAsync"/> (what an open page re-checks) agrees with the ticket store.</summary>
public sealed class SessionServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task IsValidAsync_FreshSession_True()
    {
        var session = await _host.StoreSessionAsync("admin");

        Assert.True(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task IsValidAsync_AfterSecurityStampChanges_False()
    {
        var session = await _host.StoreSessionAsync("admin");

        await _host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(async users =>
            await users.UpdateSecurityStampAsync((await users.FindByNameAsync("admin"))!));

        Assert.False(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task IsValidAsync_AfterUserDisabled_False()
    {
        var session = await _host.StoreSessionAsync("admin");

        await _host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.Id == session.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Disabled)));

        Assert.False(await _host.IsValidAsync(session));
    }

    [Theory]
    [InlineData(false, 12)]
    [InlineData(true, 30 * 24)]
    public async Task IsValidAsync_PastLifetime_False(bool persistent, int lifetimeHours)
    {
        var session = await _host.StoreSessionAsync("admin", persistent);
        _host.Time.Advance(TimeSpan.FromHours(lifetimeHours) - TimeSpan.FromSeconds(1));
        Assert.True(await _host.IsValidAsync(session));

        _host.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task IsValidAsync_AfterRemoveAsync_False()
    {
        var session = await _host.StoreSessionAsync("admin");

        await _host.Services.GetRequiredService<SessionTicketStore>().RemoveAsync(session.Key);

        Assert.False(await _host.IsValidAsync(session));
    }

    [Fact]
    public async Task IsValidAsync_SessionOfAnotherUser_False()
    {
        var other = await _host.CreateUserAsync("jane", "jane's password");
        var session = await _host.StoreSessionAsync("admin");

        Assert.False(await _host.WithAsync<SessionService, bool>(s => s.IsValidAsync(session.SessionId, other.Id)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task IsValidAsync_NoSessionId_False(string? sessionId)
    {
        var session = await _host.StoreSessionAsync("admin");

        Assert.False(await _host.WithAsync<SessionService, bool>(s => s.IsValidAsync(sessionId, session.UserId)));
    }

    [Fact]
    public async Task IsValidAsync_KeyInsteadOfSessionId_False()
    {
        var session = await _host.StoreSessionAsync("admin");

        Assert.False(await _host.WithAsync<SessionService, bool>(s => s.IsValidAsync(session.Key, session.UserId)));
    }
}
