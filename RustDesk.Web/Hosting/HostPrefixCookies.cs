using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace RustDesk.Web.Hosting;

/// <summary>
/// Over HTTPS (direct, or forwarded by a configured proxy) every cookie the console sets — whoever sets it: the
/// session, antiforgery, culture, pending sign-in, device cookies, Identity's own, the theme written by console.js —
/// leaves as <c>__Host-name</c> with <c>Secure</c>, <c>Path=/</c> and no <c>Domain</c>, and only <c>__Host-</c> cookies
/// are read back, under their plain names. So the code everywhere uses the plain names (<c>rd.session</c>), and a
/// cookie planted by a sibling subdomain or over plain HTTP (which cannot carry the prefix) is never read. Over plain
/// HTTP (development, tests) names and attributes stay as they are.
/// </summary>
public sealed class HostPrefixCookieMiddleware(RequestDelegate next)
{
    public const string Prefix = "__Host-";

    /// <summary>The name a browser holds <paramref name="name"/> under for this request (for script that writes cookies).</summary>
    public static string NameFor(HttpRequest request, string name) => request.IsHttps ? Prefix + name : name;

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.IsHttps)
        {
            return next(context);
        }
        var incoming = context.Request.Cookies;
        var visible = new List<KeyValuePair<string, string>>(incoming.Count);
        foreach (var (name, value) in incoming)
        {
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length)
            {
                visible.Add(new(name[Prefix.Length..], value));
            }
        }
        RequestCookies.Replace(context, visible);
        // Registered before any other component's callback, so it runs last and sees every Set-Cookie.
        context.Response.OnStarting(static state =>
        {
            PrefixSetCookies(((HttpContext)state).Response.Headers);
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    private static void PrefixSetCookies(IHeaderDictionary headers)
    {
        var values = headers.SetCookie;
        if (values.Count == 0)
        {
            return;
        }
        var mapped = new string?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value is null || !SetCookieHeaderValue.TryParse(value, out var cookie))
            {
                mapped[i] = value;
                continue;
            }
            if (!cookie.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                cookie.Name = Prefix + cookie.Name.ToString();
            }
            cookie.Secure = true;
            cookie.Path = "/";
            cookie.Domain = null;
            mapped[i] = cookie.ToString();
        }
        headers.SetCookie = mapped;
    }
}

/// <summary>Replaces what <see cref="HttpRequest.Cookies"/> shows for the rest of the request.</summary>
public static class RequestCookies
{
    public static void Replace(HttpContext context, IEnumerable<KeyValuePair<string, string>> cookies) =>
        context.Features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(new Collection(cookies)));

    /// <summary>The request's cookies without <paramref name="name"/> (and the chunks the cookie manager splits it into).</summary>
    public static void Remove(HttpContext context, string name) =>
        Replace(context, context.Request.Cookies.Where(c => !c.Key.StartsWith(name, StringComparison.Ordinal)).ToList());

    private sealed class Collection : IRequestCookieCollection
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.OrdinalIgnoreCase);

        public Collection(IEnumerable<KeyValuePair<string, string>> cookies)
        {
            foreach (var (name, value) in cookies)
            {
                _cookies.TryAdd(name, value); // the first of two equal names wins, as in the framework's own collection
            }
        }

        public string? this[string key] => _cookies.GetValueOrDefault(key);

        public int Count => _cookies.Count;

        public ICollection<string> Keys => _cookies.Keys;

        public bool ContainsKey(string key) => _cookies.ContainsKey(key);

        public bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _cookies.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _cookies.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
