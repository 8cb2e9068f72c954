using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Web.Components.Shared;

namespace RustDesk.Tests.Web.Components.Shared;

/// <summary>
/// An open page whose session ends signs itself out through <see cref="RedirectToLogin"/>. With the browser away
/// (gone without its goodbye), the navigation would be a JavaScript call nobody answers, logged as an error after a
/// minute (issue 11, point 6): it waits until the browser is back.
/// </summary>
public sealed class RedirectToLoginTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly CircuitConnection _connection = new();

    public Task InitializeAsync()
    {
        _ctx.Services.AddSingleton(_connection);
        _ctx.Services.GetRequiredService<BunitNavigationManager>().NavigateTo("/settings");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private BunitNavigationManager Navigation => _ctx.Services.GetRequiredService<BunitNavigationManager>();

    private CircuitConnection.Handler Handler => new(_connection);

    [Fact]
    public void Render_BrowserConnected_LoadsTheSignInPageWithTheWayBack()
    {
        _ctx.Render<RedirectToLogin>();

        var navigation = Assert.Single(Navigation.History, h => h.Uri.StartsWith("/account/login", StringComparison.Ordinal));
        Assert.Equal("/account/login?returnUrl=%2Fsettings", navigation.Uri);
        Assert.True(navigation.Options.ForceLoad);
    }

    [Fact]
    public async Task Render_BrowserAway_NavigatesOnlyOnceItIsBack()
    {
        await Handler.OnConnectionDownAsync(null!, CancellationToken.None);

        var cut = _ctx.Render<RedirectToLogin>();
        Assert.DoesNotContain(Navigation.History, h => h.Uri.StartsWith("/account/login", StringComparison.Ordinal));

        await Handler.OnConnectionUpAsync(null!, CancellationToken.None);
        cut.WaitForAssertion(() =>
            Assert.Contains(Navigation.History, h => h.Uri == "/account/login?returnUrl=%2Fsettings" && h.Options.ForceLoad));
    }

    [Fact]
    public async Task Dispose_BeforeTheBrowserIsBack_NavigatesNowhere()
    {
        await Handler.OnConnectionDownAsync(null!, CancellationToken.None);
        var cut = _ctx.Render<RedirectToLogin>();

        cut.Instance.Dispose();
        await Handler.OnConnectionUpAsync(null!, CancellationToken.None);

        Assert.DoesNotContain(Navigation.History, h => h.Uri.StartsWith("/account/login", StringComparison.Ordinal));
    }
}
