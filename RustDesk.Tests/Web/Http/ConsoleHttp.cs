using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RustDesk.Tests.Infrastructure;

namespace RustDesk.Tests.Web.Http;

/// <summary>
/// What a browser does with the static sign-in form, done over HTTP: read the antiforgery token from the page and
/// post the form fields the EditForm expects. Shared by the HTTP tests.
/// </summary>
internal static class ConsoleHttp
{
    public const string SessionCookie = "rd.session";
    public const string CultureCookie = "rd.culture";
    public const string TokenField = "__RequestVerificationToken";

    private static readonly HtmlParser Parser = new();

    /// <summary>A client that shows redirects instead of following them; <paramref name="cookies"/> keeps cookies like a browser.</summary>
    public static HttpClient NewClient(this ConsoleAppFactory app, bool cookies = true) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = cookies });

    /// <summary>The hidden antiforgery field of the first form on <paramref name="path"/>.</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(this HttpClient client, string path = "/account/login")
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = TokenIn(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(token), $"no {TokenField} on {path}");
        return token!;
    }

    public static string? TokenIn(string html) =>
        Parser.ParseDocument(html).QuerySelector($"input[name='{TokenField}']")?.GetAttribute("value");

    /// <summary>Gets the sign-in page for its token, then posts the form as the browser would.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string? userName, string? password,
        bool rememberMe = false, string? returnUrl = null)
    {
        var path = LoginPath(returnUrl);
        var token = await client.GetAntiforgeryTokenAsync(path);
        return await client.PostLoginAsync(path, LoginFields(userName, password, rememberMe ? "true" : "false", token));
    }

    public static string LoginPath(string? returnUrl) =>
        returnUrl is null ? "/account/login" : "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl);

    public static Dictionary<string, string> LoginFields(string? userName, string? password, string rememberMe, string? token)
    {
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = userName ?? "",
            ["Input.Password"] = password ?? "",
            ["Input.RememberMe"] = rememberMe,
        };
        if (token is not null)
        {
            fields[TokenField] = token;
        }
        return fields;
    }

    public static Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string path, Dictionary<string, string> fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>The text of the element with <paramref name="testId"/>, or null when the page has none.</summary>
    public static string? TextOf(string html, string testId) =>
        Parser.ParseDocument(html).QuerySelector($"[data-testid='{testId}']")?.TextContent.Trim();

    public static async Task<string?> TextOfAsync(HttpResponseMessage response, string testId) =>
        TextOf(await response.Content.ReadAsStringAsync(), testId);

    /// <summary>The raw Set-Cookie header for <paramref name="name"/> (e.g. "rd.session=…; path=/; httponly"), or null.</summary>
    public static string? SetCookie(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    /// <summary>The value a Set-Cookie header gives <paramref name="name"/>, or null.</summary>
    public static string? SetCookieValue(this HttpResponseMessage response, string name)
    {
        var header = response.SetCookie(name);
        return header is null ? null : header[(name.Length + 1)..].Split(';')[0];
    }

    /// <summary>The redirect target resolved against the test server, so relative and absolute forms compare alike.</summary>
    public static Uri RedirectTarget(this HttpResponseMessage response, HttpClient client)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect, $"expected a redirect, got {(int)response.StatusCode}");
        var location = response.Headers.Location;
        Assert.NotNull(location);
        return location!.IsAbsoluteUri ? location : new Uri(client.BaseAddress!, location);
    }

    /// <summary>A request carrying exactly the given cookie header (for clients that do not keep cookies).</summary>
    public static HttpRequestMessage WithCookie(HttpMethod method, string path, string cookieHeader)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookieHeader);
        return request;
    }

    /// <summary>Signs admin in and returns the rd.session cookie value.</summary>
    public static async Task<string> SignInAdminAsync(this HttpClient client)
    {
        var response = await client.SignInAsync("admin", ConsoleAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var value = response.SetCookieValue(SessionCookie);
        Assert.False(string.IsNullOrEmpty(value), "no session cookie after signing in");
        return value!;
    }

    /// <summary>
    /// The antiforgery cookie and form token that a page rendered for the session of <paramref name="sessionCookie"/>
    /// carries (as the user menu's sign-out form does), made by the console's own services.
    /// </summary>
    public static async Task<(string CookieToken, string RequestToken)> AntiforgeryForSessionAsync(ConsoleAppFactory app, string sessionCookie)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Cookie = $"{SessionCookie}={sessionCookie}";
        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(context,
            Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
        Assert.True(result.Succeeded, "the session cookie opens no session");
        context.User = result.Principal!;
        var tokens = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(context);
        return (tokens.CookieToken!, tokens.RequestToken!);
    }

    /// <summary>No exception text reaches the client: no .NET frame, type name or source line.</summary>
    public static void AssertNoStackTrace(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }
}
