using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;
using RustDesk.Core.Accounts;
using RustDesk.Core.Sessions;
using RustDesk.Web.Resources;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// The base of every bUnit test of the console's components: a bUnit context on a real <see cref="CoreHost"/>
/// (nothing of Core is mocked), set up by <see cref="BunitSetup"/>. A test reads as the product: arrange a user
/// (<see cref="SessionOfAsync"/>, <see cref="SignedInAs"/>), choose the language (<see cref="InEnglish"/>,
/// <see cref="InGerman"/>), render, act, assert.
/// </summary>
/// <remarks>
/// The context is disposed asynchronously in <see cref="DisposeAsync"/>: bUnit 2.x with MudBlazor fails at teardown
/// under xunit 2.9 when a test class inherits <c>BunitContext</c> and is disposed synchronously.
/// </remarks>
public abstract class ConsoleComponentTest : IAsyncLifetime
{
    /// <summary>The password the tests give the users they create.</summary>
    protected const string Password = "correct horse battery";

    protected BunitContext Ctx { get; } = new();

    protected CoreHost Host { get; private set; } = default!;

    /// <summary>Configuration of the test's <see cref="CoreHost"/>, for tests that need other limits.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync()
    {
        Host = await StartHostAsync();
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        await Ctx.DisposeAsync();
        await StopHostAsync();
    }

    /// <summary>Starts the Core services the components call; override for a host with more around it (e.g. SMTP).</summary>
    protected virtual Task<CoreHost> StartHostAsync() => new CoreHost(Settings).InitializeAsync();

    /// <summary>Stops what <see cref="StartHostAsync"/> started.</summary>
    protected virtual ValueTask StopHostAsync() => Host.DisposeAsync();

    /// <summary>What every test of the class shares, once the host runs (users, sessions, audit rows…).</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>
    /// The console's component services in English; call it in the test method (the culture flows with the async
    /// context) and dispose the result: <c>using var culture = InEnglish();</c>.
    /// </summary>
    protected CultureScope InEnglish() => In("en");

    /// <summary>As <see cref="InEnglish"/>, in German.</summary>
    protected CultureScope InGerman() => In("de");

    /// <summary>As <see cref="InEnglish"/>, in <paramref name="culture"/> (for theories over languages).</summary>
    protected CultureScope In(string culture) => Ctx.AddConsoleTestServices(Host, culture);

    /// <summary>
    /// Signs <paramref name="user"/> in with <paramref name="role"/> on <paramref name="sessionId"/> for components
    /// that read the authentication state (the admin pages), then sets up the services in <paramref name="culture"/>.
    /// The authorization services must go in before the component services lock the container, so this replaces
    /// <see cref="In"/>.
    /// </summary>
    protected CultureScope SignedInAs(ConsoleUser user, string role, string sessionId, string culture = "en")
    {
        var auth = Ctx.AddAuthorization();
        auth.SetAuthorized(user.UserName!);
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(SessionClaims.SessionId, sessionId));
        return In(culture);
    }

    /// <summary>Stores a session of <paramref name="user"/> in the database, as signing in does, and returns its id.</summary>
    protected async Task<string> SessionOfAsync(ConsoleUser user) => (await Host.StoreSessionAsync(user.UserName!)).SessionId;

    /// <summary>Renders <typeparamref name="TComponent"/> with <paramref name="parameters"/>.</summary>
    protected IRenderedComponent<TComponent> Render<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent => Ctx.Render(parameters);

    /// <summary>The dialog provider, where dialogs (the re-verification modal among them) render their markup.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderDialogs() => Ctx.Render<MudDialogProvider>();

    /// <summary>The snackbar provider, where the page's snackbars appear.</summary>
    protected IRenderedComponent<MudSnackbarProvider> RenderSnackbars() => Ctx.Render<MudSnackbarProvider>();

    /// <summary>Where open menus and selects put their items (rendered by the setup).</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers => Ctx.PopoverProvider();

    /// <summary>bUnit's navigation manager: where the component sent the browser.</summary>
    protected NavigationManager Navigation => Ctx.Services.GetRequiredService<NavigationManager>();

    protected T Service<T>() where T : notnull => Ctx.Services.GetRequiredService<T>();

    /// <summary>The UI text <paramref name="key"/> in the current culture; fails when the resource is missing.</summary>
    protected string Text(string key, params object[] arguments)
    {
        var text = Ctx.Services.GetRequiredService<IStringLocalizer<Strings>>()[key, arguments];
        Assert.False(text.ResourceNotFound, $"no resource '{key}'");
        return text.Value;
    }
}
