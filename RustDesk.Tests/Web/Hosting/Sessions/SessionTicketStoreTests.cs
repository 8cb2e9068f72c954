using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Sessions;
using RustDesk.Tests.Infrastructure;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Tests.Web.Hosting.Sessions;

public sealed class SessionTicketStoreTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SessionTicketStore Store => _host.Services.GetRequiredService<SessionTicketStore>();

    [Fact]
    public async Task StoreAsync_ThenRetrieveAsync_ReturnsSameUserAndStamp()
    {
        // Arrange
        var admin = (await _host.FindUserAsync("admin"))!;
        var claims = _host.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;

        // Act
        var session = await _host.StoreSessionAsync("admin");
        var ticket = await _host.RetrieveAsync(session);

        // Assert
        Assert.NotNull(ticket);
        Assert.Equal(IdentityConstants.ApplicationScheme, ticket!.AuthenticationScheme);
        Assert.Equal(admin.Id, ticket.Principal.FindFirstValue(claims.UserIdClaimType));
        Assert.Equal("admin", ticket.Principal.FindFirstValue(claims.UserNameClaimType));
        Assert.Equal(admin.SecurityStamp, ticket.Principal.FindFirstValue(claims.SecurityStampClaimType));
        Assert.Equal(session.SessionId, ticket.Principal.GetSessionId());
    }

    [Fact]
    public async Task StoreAsync_Row_IsKeyedByHashAndNeverHoldsTheKey()
    {
        // Act
        var session = await _host.StoreSessionAsync("admin");

        // Assert: the row's id is the SHA-256 of the key, and no column of any table holds the key itself.
        Assert.NotEqual(session.Key, session.SessionId);
        Assert.Equal(RustDesk.Core.Security.OpaqueKey.Hash(session.Key), session.SessionId);
        var row = await _host.WithAsync<ConsoleDbContext, UserSession>(db => db.Sessions.AsNoTracking().SingleAsync());
        Assert.Equal(session.SessionId, row.Id);
        var found = await FindInEveryColumnAsync(session.Key);
        Assert.Empty(found);
        Assert.True(await CountCellsAsync() > 0, "the scan read nothing");
    }

    [Fact]
    public async Task StoreAsync_TwoSessions_GetDifferentKeys()
    {
        var first = await _host.StoreSessionAsync("admin");
        var second = await _host.StoreSessionAsync("admin");

        Assert.NotEqual(first.Key, second.Key);
        Assert.True(first.Key.Length >= 43, "a key of at least 256 bits");
    }

    [Fact]
    public async Task RetrieveAsync_UnknownKey_ReturnsNull()
    {
        await _host.StoreSessionAsync("admin");

        Assert.Null(await Store.RetrieveAsync("not-a-key"));
    }

    [Fact]
    public async Task RetrieveAsync_RowIdUsedAsKey_ReturnsNull()
    {
        // Someone who reads the Sessions table (a backup, a leaked dump) cannot turn its ids into cookies.
        var session = await _host.StoreSessionAsync("admin");

        Assert.Null(await Store.RetrieveAsync(session.SessionId));
    }

    [Fact]
    public async Task RetrieveAsync_AfterSecurityStampChanges_ReturnsNull()
    {
        var session = await _host.StoreSessionAsync("admin");
        Assert.NotNull(await _host.RetrieveAsync(session));

        await _host.WithAsync<UserManager<ConsoleUser>, IdentityResult>(async users =>
            await users.UpdateSecurityStampAsync((await users.FindByNameAsync("admin"))!));

        Assert.Null(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_AfterUserDisabled_ReturnsNull()
    {
        var session = await _host.StoreSessionAsync("admin");

        await DisableAsync("admin");

        Assert.Null(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_BrowserSessionBefore12Hours_ReturnsTicket()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: false);

        _host.Time.Advance(TimeSpan.FromHours(12) - TimeSpan.FromMinutes(1));

        Assert.NotNull(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_BrowserSessionAfter12Hours_ReturnsNull()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: false);

        _host.Time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));

        Assert.Null(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_PersistentSessionAfter13Hours_ReturnsTicket()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: true);

        _host.Time.Advance(TimeSpan.FromHours(13));

        Assert.NotNull(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_PersistentSessionAfter30Days_ReturnsNull()
    {
        var session = await _host.StoreSessionAsync("admin", persistent: true);
        _host.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.NotNull(await _host.RetrieveAsync(session));

        _host.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await _host.RetrieveAsync(session));
    }

    [Fact]
    public async Task RetrieveAsync_AfterRemoveAsync_ReturnsNullAndRowIsGone()
    {
        var session = await _host.StoreSessionAsync("admin");
        var other = await _host.StoreSessionAsync("admin");

        await Store.RemoveAsync(session.Key);

        Assert.Null(await _host.RetrieveAsync(session));
        Assert.NotNull(await _host.RetrieveAsync(other));
        var ids = await _host.WithAsync<ConsoleDbContext, List<string>>(db => db.Sessions.Select(s => s.Id).ToListAsync());
        Assert.Equal([other.SessionId], ids);
    }

    [Fact]
    public async Task RetrieveAsync_TicketBytesTampered_ReturnsNull()
    {
        var session = await _host.StoreSessionAsync("admin");
        await _host.WithAsync<ConsoleDbContext, int>(async db =>
        {
            var row = await db.Sessions.SingleAsync();
            row.Ticket[^1] ^= 0xFF;
            db.Entry(row).Property(s => s.Ticket).IsModified = true;
            return await db.SaveChangesAsync();
        });

        Assert.Null(await _host.RetrieveAsync(session));
    }

    private Task<int> DisableAsync(string userName) =>
        _host.WithAsync<ConsoleDbContext, int>(db => db.Users.Where(u => u.UserName == userName)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Disabled)));

    /// <summary>"table.column" for every cell, in every table, whose text or bytes contain <paramref name="needle"/>.</summary>
    private async Task<List<string>> FindInEveryColumnAsync(string needle)
    {
        var bytes = Encoding.UTF8.GetBytes(needle);
        var found = new List<string>();
        await ForEachCellAsync((table, column, value) =>
        {
            var hit = value switch
            {
                string text => text.Contains(needle, StringComparison.Ordinal),
                byte[] blob => blob.AsSpan().IndexOf(bytes) >= 0,
                _ => false,
            };
            if (hit)
            {
                found.Add(table + "." + column);
            }
        });
        return found;
    }

    private async Task<int> CountCellsAsync()
    {
        var count = 0;
        await ForEachCellAsync((_, _, _) => count++);
        return count;
    }

    private async Task ForEachCellAsync(Action<string, string, object> visit)
    {
        await using var connection = new SqliteConnection($"Data Source={_host.DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("Sessions", tables);
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i))
                    {
                        visit(table, reader.GetName(i), reader.GetValue(i));
                    }
                }
            }
        }
    }
}
