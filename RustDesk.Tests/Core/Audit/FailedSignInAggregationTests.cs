using Microsoft.EntityFrameworkCore;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.Data;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Audit;

/// <summary>
/// A flood of failed sign-ins for names that are no account, or of attempts on a locked account, adds to a count in one
/// audit row per IP address and minute instead of writing a row each.
/// </summary>
public sealed class FailedSignInAggregationTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<PasswordCheckResult> CheckAsync(string user, string password, string ip) =>
        _host.WithAsync<PasswordSignInService, PasswordCheckResult>(s => s.CheckAsync(user, password, ip, "curl/8"));

    private Task<List<AuditEvent>> EventsAsync() =>
        _host.WithAsync<ConsoleDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task CheckAsync_ThirtyUnknownNamesInParallelFromOneAddress_AreOneRowCountingThirty()
    {
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => CheckAsync("nobody" + i, "guess " + i, "203.0.113.9"))));

        // (30 within a minute also raise the burst alarm, audited as alarm.raised.)
        var row = Assert.Single(await EventsAsync(), e => e.Kind == AuditKinds.SignInFailed);
        Assert.Equal(30, row.Count);
        Assert.Equal("203.0.113.9", row.IpAddress);
        Assert.Equal(PasswordSignInService.UnknownUserName, row.ActorName);
        Assert.Null(row.TargetUserId);
        Assert.DoesNotContain("nobody", row.Detail + row.ActorName);
    }

    [Fact]
    public async Task CheckAsync_UnknownNames_OneRowPerAddressAndMinute()
    {
        await CheckAsync("nobody", "x", "203.0.113.1");
        await CheckAsync("nobody", "x", "203.0.113.2");
        await CheckAsync("nobody", "x", "203.0.113.1");
        _host.Time.Advance(AuditLog.AggregationPeriod);
        await CheckAsync("nobody", "x", "203.0.113.1");

        var rows = await EventsAsync();

        Assert.Equal([("203.0.113.1", 2), ("203.0.113.2", 1), ("203.0.113.1", 1)], rows.Select(r => (r.IpAddress, r.Count)));
    }

    [Fact]
    public async Task CheckAsync_AttemptsOnALockedAccount_AreCountedInOneRow()
    {
        for (var i = 0; i < 10; i++)
        {
            await CheckAsync("admin", "wrong " + i, "198.51.100.1");
        }

        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(PasswordCheckStatus.LockedOut, (await CheckAsync("admin", "wrong again", "198.51.100.1")).Status);
        }

        var rows = await EventsAsync();
        Assert.Equal(9, rows.Count(r => r.Kind == AuditKinds.SignInFailed));
        Assert.Single(rows, r => r.Kind == AuditKinds.SignInLockedOut && r.Detail.Contains("locked until"));
        var refused = Assert.Single(rows, r => r.Kind == AuditKinds.SignInLockedOut && r.Detail.Contains("refused"));
        Assert.Equal(25, refused.Count);
    }
}
