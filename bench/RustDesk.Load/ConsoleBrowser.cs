using System.Net;
using System.Text.RegularExpressions;

namespace RustDesk.Load;

/// <summary>
/// One browser against the console: its own cookies, its own client address (X-Forwarded-For, believed when the
/// console lists the load tool's address as a known proxy), and the static sign-in form as a browser posts it.
/// </summary>
public sealed partial class ConsoleBrowser : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleBrowser(Uri baseAddress, string clientAddress)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
        _http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        _http.DefaultRequestHeaders.Add("Accept-Language", "en");
    }

    /// <summary>GETs the sign-in form and returns its antiforgery token.</summary>
    public async Task<string> GetSignInTokenAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("account/login", cancellationToken);
        response.EnsureSuccessStatusCode();
        var match = TokenPattern().Match(await response.Content.ReadAsStringAsync(cancellationToken));
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on the sign-in page");
    }

    /// <summary>POSTs the sign-in form; returns the status and the redirect target, if any.</summary>
    public async Task<(HttpStatusCode Status, Uri? Location)> PostSignInAsync(string token, string user, string password, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = "false",
            ["__RequestVerificationToken"] = token,
        });
        using var response = await _http.PostAsync("account/login", content, cancellationToken);
        return (response.StatusCode, response.Headers.Location);
    }

    /// <summary>GETs a page, following up to three redirects (e.g. the landing page after signing in); returns the final status.</summary>
    public async Task<HttpStatusCode> GetAsync(Uri location, CancellationToken cancellationToken)
    {
        var target = location;
        for (var hop = 0; hop < 4; hop++)
        {
            using var response = await _http.GetAsync(target, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
            {
                return response.StatusCode;
            }
            target = response.Headers.Location;
        }
        return HttpStatusCode.LoopDetected;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
