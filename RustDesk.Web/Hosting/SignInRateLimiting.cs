using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using RustDesk.Core.RateLimiting;
using RustDesk.Web.Resources;

namespace RustDesk.Web.Hosting;

/// <summary>
/// Per-address limits on the <see cref="SignInEndpoints"/> (ASP.NET Core's rate limiter, a token bucket per client
/// address) and the HTTP side of the password-hashing gate. A refusal is 429 (too many from this address) or 503
/// (hashing busy) with <c>Retry-After</c>: for pages the status-code page in the user's language, for programs a
/// short JSON object.
/// </summary>
public static class SignInRateLimiting
{
    /// <summary>What a client is told to wait when the hashing gate is busy.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var perMinute = limits.Value.SignInPerMinute;
            var burst = Math.Min(limits.Value.SignInBurst, perMinute);
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                SignInEndpoints.Match(context.Request) is null
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetTokenBucketLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => Bucket(perMinute, burst)));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                rejected.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRateLimiting).FullName!)
                    .LogWarning("Sign-in rate limit reached for {ClientAddress} on {Path}",
                        rejected.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "(unknown)", rejected.HttpContext.Request.Path.Value);
                return RefuseAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, retryAfter);
            };
        });
        return services;
    }

    /// <summary>The limiter, then the guard that marks sign-in requests as refusable by the hashing gate.</summary>
    public static IApplicationBuilder UseSignInRateLimiting(this IApplicationBuilder app) =>
        app.UseRateLimiter().UseMiddleware<SignInRequestMiddleware>();

    /// <summary>
    /// One bucket per address: a burst of <paramref name="burst"/>, refilled at <paramref name="perMinute"/> evenly over
    /// the minute. The partitioned limiter refills every 100 ms, so above 600 a minute the refill comes in bigger steps.
    /// </summary>
    private static TokenBucketRateLimiterOptions Bucket(int perMinute, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perMinute <= 600 ? 1 : (int)Math.Ceiling(perMinute / 60.0),
        ReplenishmentPeriod = perMinute <= 600 ? TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute) : TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    /// <summary>
    /// The partition of a client address: IPv4 as is; IPv6 by its /64 (one subscriber gets a whole /64, so single
    /// addresses would be free to rotate); no address (a Unix socket behind a proxy that is not configured) shares one.
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "none";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Sets the status and Retry-After; a page answer is left empty for the status-code page, a program gets JSON.</summary>
    internal static async ValueTask RefuseAsync(HttpContext context, int status, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (SignInEndpoints.Match(context.Request)?.Answer == SignInEndpoints.Answer.Json)
        {
            var text = context.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
            var message = status == StatusCodes.Status429TooManyRequests
                ? text["RateLimit.TooMany", seconds].Value
                : text["RateLimit.Busy"].Value;
            await context.Response.WriteAsJsonAsync(new { error = message });
        }
    }
}

/// <summary>
/// For a request to a <see cref="SignInEndpoints"/> entry: the session cookie is not read, so a sign-in over an existing
/// session gets a new session key (the cookie handler would otherwise renew the old session with the new principal);
/// and the password hashes of its posts may be refused as busy, answered 503 here.
/// </summary>
public sealed class SignInRequestMiddleware(RequestDelegate next, ILogger<SignInRequestMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (SignInEndpoints.MatchPath(context.Request) is null)
        {
            await next(context);
            return;
        }
        RequestCookies.Remove(context, ConsoleHostingExtensions.SessionCookieName);
        if (SignInEndpoints.Match(context.Request) is null)
        {
            await next(context); // a page view: nothing is hashed
            return;
        }
        using (PasswordHashGate.RefuseWhenBusy())
        {
            try
            {
                await next(context);
            }
            catch (PasswordHashingBusyException) when (!context.Response.HasStarted)
            {
                logger.LogWarning("Sign-in request to {Path} refused: password hashing is busy", context.Request.Path.Value);
                context.Response.Clear();
                await SignInRateLimiting.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, SignInRateLimiting.BusyRetryAfter);
            }
        }
    }
}
