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
    private readonly SignInForm _form;

    public ConsoleBrowser(Uri baseAddress, string clientAddress, SignInForm? form = null)
    {
        _form = form ?? SignInForm.Console;
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
        return await GetFormTokenAsync(_form.Path, cancellationToken);
    }

    /// <summary>GETs a page with a form and returns the form's antiforgery token.</summary>
    public async Task<string> GetFormTokenAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        var match = TokenPattern().Match(await response.Content.ReadAsStringAsync(cancellationToken));
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on " + path);
    }

    /// <summary>POSTs a form (fields plus the antiforgery token); returns the status and the redirect target, if any.</summary>
    public async Task<(HttpStatusCode Status, Uri? Location)> PostFormAsync(string path, string token, IDictionary<string, string> fields,
        CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        using var response = await _http.PostAsync(path, content, cancellationToken);
        return (response.StatusCode, response.Headers.Location);
    }

    /// <summary>POSTs the sign-in form; returns the status and the redirect target, if any.</summary>
    public async Task<(HttpStatusCode Status, Uri? Location)> PostSignInAsync(string token, string user, string password, CancellationToken cancellationToken)
    {
        return await PostFormAsync(_form.Path, token, new Dictionary<string, string>
        {
            ["_handler"] = _form.Handler,
            [_form.UserField] = user,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = "false",
        }, cancellationToken);
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

/// <summary>
/// Where a sign-in form lives and how its user field is named: the console's, or the ASP.NET Core Identity template's
/// (<c>--app peer</c>), which signs in by email address.
/// </summary>
public sealed record SignInForm(string Path, string Handler, string UserField)
{
    public static readonly SignInForm Console = new("account/login", "login", "Input.UserName");

    public static readonly SignInForm Peer = new("Account/Login", "login", "Input.Email");

    public static SignInForm For(LoadOptions options) => options.Text("app", "console") == "peer" ? Peer : Console;
}
