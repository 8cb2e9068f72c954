using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RustDesk.Tests.Infrastructure;

/// <summary>
/// Debian's nginx in front of several consoles on loopback, with the configuration of <c>docs/deployment.md</c>:
/// sticky by the <c>rd_route</c> cookie (nginx sets a random one on the first answer; the tests set it to pin a client
/// to one console), WebSockets passed through for the Blazor circuits, and the upstream that answered named in the
/// <c>X-Console-Upstream</c> header so a test can see which console it reached.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string RouteCookie = "rd_route";
    public const string UpstreamHeader = "X-Console-Upstream";

    private readonly TempDirectory _directory = new();
    private Process? _process;

    private NginxProxy(int port) => Port = port;

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Starts nginx in front of <paramref name="upstreams"/> (host:port each) and returns once it accepts connections.</summary>
    public static async Task<NginxProxy> StartAsync(IEnumerable<string> upstreams)
    {
        var proxy = new NginxProxy(FreePort());
        var prefix = proxy._directory.Path;
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(prefix, proxy.Port, upstreams));
        var start = new ProcessStartInfo(FindNginx()) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", prefix, "-c", config, "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }
        proxy._process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await CanConnectAsync(proxy.Port))
        {
            if (proxy._process.HasExited || DateTime.UtcNow > deadline)
            {
                var error = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : "";
                throw new InvalidOperationException($"nginx did not accept connections: {await proxy._process.StandardError.ReadToEndAsync()} {error}");
            }
            await Task.Delay(50);
        }
        return proxy;
    }

    /// <summary>The nginx.conf of docs/deployment.md, with loopback ports and plain HTTP.</summary>
    public static string Configuration(string prefix, int port, IEnumerable<string> upstreams) => $$"""
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
        events { worker_connections 512; }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;

            # WebSockets for the Blazor circuits.
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            # Sticky by cookie: a browser without one gets a random key (and the cookie), and keeps its console.
            map $cookie_{{RouteCookie}} $route_key { "" $request_id; default $cookie_{{RouteCookie}}; }
            map $cookie_{{RouteCookie}} $route_cookie { "" "{{RouteCookie}}=$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }

            upstream consoles {
                hash $route_key consistent;
        {{string.Join("\n", upstreams.Select(u => $"        server {u} max_fails=3 fail_timeout=10s;"))}}
            }

            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://consoles;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_read_timeout 1h;
                    add_header Set-Cookie $route_cookie;
                    add_header {{UpstreamHeader}} $upstream_addr always;
                }
            }
        }
        """;

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _directory.Dispose();
    }

    private static string FindNginx()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin");
        return dirs.Select(d => Path.Combine(d, "nginx")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: run the test command (scripts/test.sh), which installs it.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
