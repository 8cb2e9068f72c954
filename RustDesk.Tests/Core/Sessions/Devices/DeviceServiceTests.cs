using RustDesk.Core.Sessions.Devices;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Core.Sessions.Devices;

/// <summary>The list of a user's sessions (devices) that the Devices tab shows.</summary>
public sealed class DeviceServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await new CoreHost().InitializeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListAsync_TwoSessions_MarksOnlyTheCurrent()
    {
        var current = await _host.StoreSessionAsync("admin");
        var other = await _host.StoreSessionAsync("admin", persistent: true);

        var list = await _host.WithAsync<DeviceService, IReadOnlyList<SessionInfo>>(s => s.ListAsync(current.UserId, current.SessionId));

        Assert.Equal(2, list.Count);
        Assert.True(list.Single(s => s.Id == current.SessionId).IsCurrent);
        Assert.False(list.Single(s => s.Id == other.SessionId).IsCurrent);
        Assert.True(list.Single(s => s.Id == other.SessionId).IsPersistent);
    }
}
