using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;
using RustDesk.Core.Mail;
using RustDesk.Core.Security;
using RustDesk.Core.Sessions;
using RustDesk.Core.TwoFactor;
using RustDesk.Web.ClientApi;
using RustDesk.Web.Components;
using RustDesk.Web.Components.Account;
using RustDesk.Web.Hosting.Sessions;

namespace RustDesk.Web.Hosting;

public static class ConsoleHostingExtensions
{
    /// <summary>The original product's port, used when neither --urls nor ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:21114";

    /// <summary>The session cookie (under HTTPS the browser holds it as <c>__Host-rd.session</c>, see <see cref="HostPrefixCookieMiddleware"/>).</summary>
    public const string SessionCookieName = "rd.session";

    public static WebApplicationBuilder AddConsoleDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // `dotnet run` starts in Production, where ASP.NET Core would not serve the static assets of packages
        // (MudBlazor, blazor.web.js) from the build folder; published output has them in wwwroot, and there
        // this call finds no manifest and does nothing.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>The web host's own services, after Core's features (<c>AddConsoleFeatures</c>, called before it in Program.cs).</summary>
    public static IServiceCollection AddConsoleWebHost(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        // Key ring in the database, encrypted with DataProtection:CertificatePath when set (Core/Security/KeyRingProtection).
        services.AddConsoleDataProtection(configuration, environment.ContentRootPath);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(o =>
        {
            // Top: a dialog keeps its buttons at the bottom, where a message would cover them (phones above all).
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.TopCenter;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        services.Replace(ServiceDescriptor.Transient<MudLocalizer, ConsoleMudLocalizer>());
        services.AddConsoleLocalization();
        services.AddConsoleAuthentication();
        services.AddConsoleReverseProxy();
        services.AddSignInRateLimiting();
        // One year (ASVS 3.4.1); no includeSubDomains or preload: those would bind the operator's other hosts.
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddScoped<ScopedRunner>();
        services.AddScoped<RustDesk.Web.Components.ReVerification.ReVerificationPrompt>();
        services.AddScoped<RustDesk.Web.Components.Passkeys.PasskeyBrowser>();
        services.AddScoped<RustDesk.Web.Components.TwoFactor.TwoFactorChanges>();
        services.AddScoped<RustDesk.Web.Components.Shared.BrowserTimeZone>();
        services.AddScoped<RustDesk.Web.Components.Shared.CircuitConnection>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, RustDesk.Web.Components.Shared.CircuitConnection.Handler>();
        return services;
    }

    private static void AddConsoleAuthentication(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddCurrentUser();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingAuthenticationStateProvider>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<ConsoleSignIn>();
        // Identity's sign-in over HTTP (cookies, HttpContext); Core's AddAccounts registers the rest of Identity.
        new IdentityBuilder(typeof(ConsoleUser), typeof(ConsoleRole), services).AddSignInManager();
        services.AddSessionCookies();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<SessionTicketStore, SessionCookieEvents, IOptions<ConsoleSessionOptions>, TimeProvider>((cookie, store, events, sessions, time) =>
            {
                cookie.Cookie.Name = SessionCookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = ConsoleRoutes.SignIn;
                cookie.LogoutPath = ConsoleRoutes.SignOut;
                cookie.AccessDeniedPath = ConsoleRoutes.AccessDenied;
                // A persistent cookie lasts as long as a Remember me session; a browser-session cookie gets no expiry
                // at all (the handler dates only persistent cookies). SessionCookieEvents keeps both in step with the
                // session row as it slides.
                cookie.ExpireTimeSpan = TimeSpan.FromDays(sessions.Value.PersistentDays);
                cookie.SlidingExpiration = true;
                cookie.SessionStore = store;
                cookie.Events = events;
                cookie.TimeProvider = time;
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "rd.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }

    private static void AddConsoleLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            string[] cultures = [.. ConsoleCultures.Supported];
            o.SetDefaultCulture(cultures[0]).AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // The switch (a cookie) wins, then the browser's Accept-Language; no query-string override.
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = ConsoleCultures.CookieName },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
    }

    /// <summary>
    /// Builds every endpoint (minimal APIs' request delegates, Razor component discovery, the Blazor hub's method table)
    /// on a pool thread, so that start-up does it while <see cref="InitializeDatabaseAsync"/> prepares the database
    /// instead of after it, when the server's first pipeline build would (docs/performance.md, "Ready after start").
    /// Call after <see cref="MapConsoleEndpoints"/>; building is idempotent and thread-safe, the server reuses the result.
    /// </summary>
    public static Task PrepareEndpointsAsync(this WebApplication app) => Task.Run(() =>
    {
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
        {
            _ = source.Endpoints;
        }
    });

    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }

    public static WebApplication UseConsolePipeline(this WebApplication app)
    {
        // First: everything after sees the client's address and scheme, and the cookies' plain names.
        app.UseConsoleForwardedHeaders();
        app.UseMiddleware<HostPrefixCookieMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(ConsoleRoutes.Error, createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStatusCodePagesWithReExecute(ConsoleRoutes.StatusPage, createScopeForStatusCodePages: true);
        app.UseMiddleware<StatusPageAsGetMiddleware>();
        app.UseRequestLocalization();
        app.UseSignInRateLimiting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PasswordChangeMiddleware>();
        app.UseMiddleware<EnforcedEnrollmentMiddleware>();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapConsoleEndpoints(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapHealthChecks(ConsoleRoutes.Health).DisableHttpMetrics();
        app.MapAccountEndpoints();
        app.MapClientApiEndpoints();
        app.MapPreferenceEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
