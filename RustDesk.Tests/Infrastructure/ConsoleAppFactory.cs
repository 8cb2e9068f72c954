using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// The real console (Program.cs) on a fresh SQLite file in a temp folder, in the Production environment so
/// that error handling is what operators get. With <c>kestrel: true</c> it listens on a free loopback port for
/// the browser tests; otherwise it runs in memory for HTTP tests.
/// </summary>
public sealed class ConsoleAppFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = CoreHost.AdminPassword;

    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _kestrel;
    private readonly Action<IServiceCollection>? _testServices;

    /// <param name="kestrelPort">For a Kestrel factory: the loopback port (0 = any free one).</param>
    /// <param name="testServices">Test-only services added after the console's own (e.g. a circuit handler that observes teardown).</param>
    public ConsoleAppFactory(bool kestrel = false, IDictionary<string, string?>? settings = null, FakeTimeProvider? time = null,
        int kestrelPort = 0, Action<IServiceCollection>? testServices = null)
    {
        _kestrel = kestrel;
        _testServices = testServices;
        Time = time;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Console"] = $"Data Source={_directory.File("console.db")}",
            ["Storage:DataDirectory"] = _directory.Path,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            ["Sessions:RevalidationSeconds"] = "2",
            // Every test posts from the same (absent) address; only the rate-limit tests set a real limit.
            ["RateLimits:SignInPerMinute"] = "100000",
            ["RateLimits:SignInBurst"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        if (kestrel)
        {
            UseKestrel(kestrelPort);
        }
    }

    public FakeTimeProvider? Time { get; }

    public ListLoggerProvider Logs { get; } = new();

    public string DataDirectory => _directory.Path;

    public string DatabaseFile => _directory.File("console.db");

    /// <summary>For a Kestrel factory: starts it and returns its http://127.0.0.1:port address.</summary>
    public string ServerAddress
    {
        get
        {
            if (!_kestrel)
            {
                throw new InvalidOperationException("Only a Kestrel factory has an address.");
            }
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return addresses.First().Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.AddTransient<IStartupFilter, PeerAddressStartupFilter>();
            if (Time is not null)
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            }
            _testServices?.Invoke(services);
        });
    }

    /// <summary>
    /// The in-memory server has no connection address; a test names the address its request comes from (a client,
    /// or a reverse proxy) with this header, which is removed before the console sees the request.
    /// </summary>
    public const string PeerAddressHeader = "X-Test-Peer-Address";

    private sealed class PeerAddressStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.Remove(PeerAddressHeader, out var value) && IPAddress.TryParse(value.ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _directory.Dispose();
        }
    }
}
