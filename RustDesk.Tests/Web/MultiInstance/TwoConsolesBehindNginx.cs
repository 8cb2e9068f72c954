using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Core.Accounts;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.MultiInstance;

/// <summary>
/// Two consoles (separate hosts, separate data folders, one SQLite database file, one SMTP server) behind Debian's
/// nginx, as <c>docs/deployment.md</c> lays out production. Shared by the tests of a class: each test uses its own users.
/// </summary>
public sealed class TwoConsolesBehindNginx : IAsyncLifetime
{
    public const string Password = "Tall-Cactus-Mirror-2026";

    public SmtpListener Smtp { get; } = new();

    public ConsoleAppFactory A { get; private set; } = default!;

    public ConsoleAppFactory B { get; private set; } = default!;

    public NginxProxy Nginx { get; private set; } = default!;

    /// <summary>Values of the route cookie that nginx sends to A and to B.</summary>
    public string RouteToA { get; private set; } = "";

    public string RouteToB { get; private set; } = "";

    public string UpstreamA { get; private set; } = "";

    public string UpstreamB { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        A = new ConsoleAppFactory(kestrel: true, settings: Settings(null));
        UpstreamA = new Uri(A.ServerAddress).Authority;
        B = new ConsoleAppFactory(kestrel: true, settings: Settings(A.DatabaseFile));
        UpstreamB = new Uri(B.ServerAddress).Authority;
        Nginx = await NginxProxy.StartAsync([UpstreamA, UpstreamB]);
        (RouteToA, RouteToB) = await FindRoutesAsync();
    }

    private Dictionary<string, string?> Settings(string? sharedDatabase)
    {
        var settings = new Dictionary<string, string?>(Smtp.Settings)
        {
            ["ReverseProxy:KnownProxies"] = "127.0.0.1",
            ["Smtp:PollSeconds"] = "1",
            // Each pass of the outbox worker ends with a debug line, which MultiInstanceHttpTests waits for.
            ["Logging:LogLevel:RustDesk.Core.Mail.OutboxWorker"] = "Debug",
        };
        if (sharedDatabase is not null)
        {
            settings["ConnectionStrings:Console"] = $"Data Source={sharedDatabase}";
        }
        return settings;
    }

    /// <summary>Route cookie values that nginx's consistent hash sends to each console (found by asking it).</summary>
    private async Task<(string, string)> FindRoutesAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        string? toA = null, toB = null;
        for (var i = 0; i < 200 && (toA is null || toB is null); i++)
        {
            var route = "route-" + i;
            using var request = new HttpRequestMessage(HttpMethod.Get, Nginx.Address + "/healthz");
            request.Headers.Add("Cookie", $"{NginxProxy.RouteCookie}={route}");
            using var response = await http.SendAsync(request);
            var upstream = response.Headers.GetValues(NginxProxy.UpstreamHeader).Single();
            if (upstream == UpstreamA) { toA ??= route; }
            if (upstream == UpstreamB) { toB ??= route; }
        }
        return (toA ?? throw new InvalidOperationException("nginx never chose A"), toB ?? throw new InvalidOperationException("nginx never chose B"));
    }

    /// <summary>A browser-like client of nginx (cookies kept, redirects shown), pinned to one console by the route cookie.</summary>
    public PinnedClient Client(string route)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(Nginx.Address),
        };
        var client = new PinnedClient(http, cookies, new Uri(Nginx.Address));
        client.PinTo(route);
        return client;
    }

    public async Task<ConsoleUser> CreateUserAsync(string userName, string? email = null)
    {
        await using var scope = A.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
        var user = new ConsoleUser { UserName = userName, Email = email, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.User);
        return user;
    }

    public async Task DisposeAsync()
    {
        await Nginx.DisposeAsync();
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed record PinnedClient(HttpClient Http, CookieContainer Cookies, Uri Address)
{
    /// <summary>From now on nginx sends this client's requests to the console that <paramref name="route"/> hashes to.</summary>
    public void PinTo(string route) => Cookies.Add(Address, new Cookie(NginxProxy.RouteCookie, route, "/"));
}
