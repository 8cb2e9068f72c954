using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using RustDesk.Core.Security;

namespace RustDesk.Core.Passkeys;

/// <summary>Passkeys (WebAuthn), configuration section <c>Passkeys</c>.</summary>
public sealed class PasskeyOptions
{
    public const string Section = "Passkeys";

    /// <summary>
    /// The relying-party id: the host name passkeys are bound to (e.g. <c>console.example.com</c>). Default: the host of
    /// <c>Console:PublicBaseUrl</c>, else <c>localhost</c>. It must be the host of every origin or a parent domain of it.
    /// </summary>
    [StringLength(253)]
    public string? ServerDomain { get; set; }

    /// <summary>
    /// The origins (scheme, host, port) the browser may use, e.g. <c>https://console.example.com</c>. Default: the origin of
    /// <c>Console:PublicBaseUrl</c>, else <c>http://localhost:21114</c> and <c>https://localhost:21114</c>.
    /// </summary>
    public string[] Origins { get; set; } = [];

    /// <summary>Sign in with a passkey alone (no password), from the sign-in page.</summary>
    public bool AllowPasswordless { get; set; } = true;

    /// <summary>The name authenticators show for the console.</summary>
    [Required, StringLength(64, MinimumLength = 1)]
    public string ServerName { get; set; } = "RustDesk Console";

    /// <summary>How long a challenge stays valid, in seconds.</summary>
    [Range(30, 900)]
    public int ChallengeLifetimeSeconds { get; set; } = 300;

    /// <summary>Passkeys one user may register.</summary>
    [Range(1, 100)]
    public int MaxPerUser { get; set; } = 20;

    /// <summary>The relying-party id in force (configured, or derived as documented on <see cref="ServerDomain"/>).</summary>
    public string EffectiveServerDomain(PublicUrlOptions publicUrl) =>
        !string.IsNullOrWhiteSpace(ServerDomain) ? ServerDomain.Trim().ToLowerInvariant()
        : publicUrl.BaseUri?.Host.ToLowerInvariant() ?? "localhost";

    /// <summary>The origins in force.</summary>
    public IReadOnlyList<string> EffectiveOrigins(PublicUrlOptions publicUrl) =>
        Origins.Any(o => !string.IsNullOrWhiteSpace(o)) ? Origins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')).ToArray()
        : publicUrl.BaseUri is { } uri ? [uri.GetLeftPart(UriPartial.Authority)]
        : ["http://localhost:21114", "https://localhost:21114"];
}

/// <summary>
/// Start-up check: the relying-party id must cover every origin and the console's public address, or passkeys would
/// fail in the browser (or be bound to the wrong site). A mismatch stops start-up naming the keys.
/// </summary>
public sealed class PasskeyOptionsValidator(IOptions<PublicUrlOptions> publicUrl) : IValidateOptions<PasskeyOptions>
{
    public ValidateOptionsResult Validate(string? name, PasskeyOptions options)
    {
        var domain = options.EffectiveServerDomain(publicUrl.Value);
        if (Uri.CheckHostName(domain) is UriHostNameType.IPv4 or UriHostNameType.IPv6 or UriHostNameType.Unknown)
        {
            // Browsers refuse passkeys for an IP address. Configured so, it is a mistake; derived from a public address
            // that is an IP (a console on a LAN address), the console runs and passkeys are simply refused by browsers.
            return string.IsNullOrWhiteSpace(options.ServerDomain) ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Passkeys:ServerDomain '{domain}' must be a host name (WebAuthn refuses IP addresses).");
        }
        var origins = options.EffectiveOrigins(publicUrl.Value);
        if (publicUrl.Value.BaseUri is { } publicHost && !Covers(domain, publicHost.Host))
        {
            return ValidateOptionsResult.Fail(
                $"Passkeys:ServerDomain '{domain}' does not match the host of Console:PublicBaseUrl '{publicHost.Host}'.");
        }
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                return ValidateOptionsResult.Fail($"Passkeys:Origins: '{origin}' is not an origin such as https://console.example.com.");
            }
            if (!Covers(domain, uri.Host))
            {
                return ValidateOptionsResult.Fail($"Passkeys:Origins: the host of '{origin}' is not Passkeys:ServerDomain '{domain}' or below it.");
            }
        }
        if (publicUrl.Value.BaseUri is { } publicUri
            && !origins.Contains(publicUri.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"Passkeys:Origins does not contain the origin of Console:PublicBaseUrl ({publicUri.GetLeftPart(UriPartial.Authority)}).");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>A relying-party id covers its own host and the hosts below it (WebAuthn's registrable-suffix rule, simplified).</summary>
    internal static bool Covers(string domain, string host) =>
        string.Equals(host, domain, StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
}
