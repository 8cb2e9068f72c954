using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace RustDesk.Web.Hosting;

/// <summary>
/// The TLS-terminating proxies in front of the console (configuration section <c>ReverseProxy</c>). Only requests that
/// arrive from one of them have their <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> believed; empty (the default)
/// believes nobody, so a client cannot choose the address that the audit log, the alarms, the devices tab and the
/// rate limits see.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c> (a JSON array, or one comma-separated string).</summary>
    public IReadOnlyList<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c> (a JSON array, or one comma-separated string).</summary>
    public IReadOnlyList<string> KnownNetworks { get; set; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>
    /// A list key given either as an array (<c>Key:0</c>, <c>Key:1</c>) or as one comma- or space-separated value (an
    /// empty JSON array reads as an empty value, so an empty value means: look at the children).
    /// </summary>
    internal static IReadOnlyList<string> ReadList(IConfigurationSection section) =>
        (!string.IsNullOrWhiteSpace(section.Value) ? [section.Value] : section.GetChildren().Select(c => c.Value ?? ""))
        .SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .ToList();
}

public static class ReverseProxyExtensions
{
    public static IServiceCollection AddConsoleReverseProxy(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                var section = configuration.GetSection(ReverseProxyOptions.Section);
                o.KnownProxies = ReverseProxyOptions.ReadList(section.GetSection(nameof(ReverseProxyOptions.KnownProxies)));
                o.KnownNetworks = ReverseProxyOptions.ReadList(section.GetSection(nameof(ReverseProxyOptions.KnownNetworks)));
            })
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                $"'{ReverseProxyOptions.Section}:{nameof(ReverseProxyOptions.KnownProxies)}' holds something that is not an IP address.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                $"'{ReverseProxyOptions.Section}:{nameof(ReverseProxyOptions.KnownNetworks)}' holds something that is not a network in CIDR notation (e.g. 10.0.0.0/24).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // No limit on the hops: the middleware walks X-Forwarded-For from the right while the sender is trusted and
            // stops at the first address that is not, so a chain of configured proxies works and a client's own entries
            // are never reached.
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }
            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>
    /// Applies forwarded headers when a proxy is configured. Without one the middleware is left out entirely: with
    /// empty lists it would believe every sender.
    /// </summary>
    public static IApplicationBuilder UseConsoleForwardedHeaders(this IApplicationBuilder app)
    {
        var proxy = app.ApplicationServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value;
        return proxy.TrustsAnyProxy ? app.UseForwardedHeaders() : app;
    }
}
