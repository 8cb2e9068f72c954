using Microsoft.Net.Http.Headers;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// A browser's cookie store reduced to what these tests need, for requests whose cookies HttpClient's container would
/// judge by the real clock or refuse to send (<c>Secure</c> cookies to an http:// test server behind a "TLS proxy").
/// Keeps the raw Set-Cookie headers so tests can check names and attributes.
/// </summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public List<SetCookieHeaderValue> Received { get; } = [];

    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>Takes the response's cookies: a cookie with an expiry in the past (a deletion) is dropped.</summary>
    public void Take(HttpResponseMessage response, DateTimeOffset now)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var headers))
        {
            return;
        }
        foreach (var cookie in SetCookieHeaderValue.ParseList(headers.ToList()))
        {
            Received.Add(cookie);
            var name = cookie.Name.ToString();
            if (cookie.Expires is { } expires && expires <= now)
            {
                _values.Remove(name);
            }
            else
            {
                _values[name] = cookie.Value.ToString();
            }
        }
    }

    /// <summary>A request carrying every cookie of the jar.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (_values.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _values.Select(c => c.Key + "=" + c.Value)));
        }
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, DateTimeOffset now)
    {
        var response = await client.SendAsync(request);
        Take(response, now);
        return response;
    }
}
