using System.Globalization;
using System.Runtime.CompilerServices;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;
using RustDesk.Web.Hosting;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// The one bUnit setup for the console's components, after MudBlazor's own <c>AddTestServices()</c>: MudBlazor
/// without transitions, loose JS interop, an interactive server renderer, the web's localisation, and the real
/// Core services of a <see cref="CoreHost"/> (a real SQLite file; nothing of Core is mocked).
/// </summary>
public static class BunitSetup
{
    private static readonly ConditionalWeakTable<BunitContext, IRenderedComponent<MudPopoverProvider>> PopoverProviders = new();

    /// <summary>The popover provider the setup rendered: where open menus and selects put their items.</summary>
    public static IRenderedComponent<MudPopoverProvider> PopoverProvider(this BunitContext ctx) =>
        PopoverProviders.TryGetValue(ctx, out var provider) ? provider
            : throw new InvalidOperationException("Call AddConsoleTestServices before asking for the popover provider.");

    /// <summary>
    /// Registers the services and renders the popover provider, so call it before rendering the component under
    /// test. Sets the current culture to <paramref name="culture"/>; dispose the returned scope to restore the
    /// previous one. Call it in the test method itself: the culture flows with the async context, so a culture set
    /// in <c>InitializeAsync</c> would be gone by the time the test runs.
    /// </summary>
    public static CultureScope AddConsoleTestServices(this BunitContext ctx, CoreHost host, string culture = "en")
    {
        var scope = new CultureScope(culture);
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        ctx.Services.AddLocalization();
        // MudBlazor's own texts in German as in the console.
        ctx.Services.Replace(ServiceDescriptor.Transient<MudBlazor.MudLocalizer, RustDesk.Web.Hosting.ConsoleMudLocalizer>());
        // The components reach Core only through ScopedRunner: backed by the host's scopes, every call runs the
        // production services against the host's database, a fresh scope per call as in the running console. It
        // navigates with bUnit's NavigationManager when Core refuses the session.
        var coreScopes = host.Services.GetRequiredService<IServiceScopeFactory>();
        ctx.Services.AddScoped(sp => new ScopedRunner(coreScopes, sp.GetRequiredService<NavigationManager>()));
        ctx.Services.AddScoped<RustDesk.Web.Components.ReVerification.ReVerificationPrompt>();
        ctx.Services.AddScoped<RustDesk.Web.Components.Passkeys.PasskeyBrowser>();
        ctx.Services.AddScoped<RustDesk.Web.Components.TwoFactor.TwoFactorChanges>();
        ctx.Services.AddScoped<RustDesk.Web.Components.Shared.BrowserTimeZone>();
        // Who is signed in, cascaded as in the console (from the authentication state a test's AddAuthorization sets).
        RustDesk.Web.Components.CurrentUserCascade.AddCurrentUser(ctx.Services);
        // Last: the renderer, once created, locks the service collection.
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        PopoverProviders.AddOrUpdate(ctx, ctx.Render<MudPopoverProvider>());
        return scope;
    }
}

/// <summary>Sets the current culture and UI culture, and puts the previous ones back on dispose.</summary>
public sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public CultureScope(string culture)
    {
        var info = CultureInfo.GetCultureInfo(culture);
        CultureInfo.CurrentCulture = info;
        CultureInfo.CurrentUICulture = info;
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
