namespace RustDesk.Web.Hosting;

/// <summary>
/// The endpoints that check a password or a code for someone who is not signed in yet. Their form posts are limited
/// per client address (<see cref="SignInRateLimiting"/>) and may be refused as busy by the password-hashing gate; and
/// none of their requests reads the session cookie, so that a sign-in always gets a new session key (and the form's
/// antiforgery token, issued to an anonymous visitor, matches the post). A new endpoint that checks a password or a
/// code is added here, and only here.
/// </summary>
public static class SignInEndpoints
{
    /// <summary>How a refusal is answered: a localized status page, or a short JSON object for programs.</summary>
    public enum Answer
    {
        Page,
        Json,
    }

    public sealed record Endpoint(string Path, Answer Answer);

    public static readonly IReadOnlyList<Endpoint> All =
    [
        new(ConsoleRoutes.SignIn, Answer.Page),
        new(ConsoleRoutes.SignInTotp, Answer.Page),
        new(ConsoleRoutes.SignInEmail, Answer.Page), // verify and resend
        new(ConsoleRoutes.SignInPasskeyOptions, Answer.Json), // a passwordless challenge (a row in the database per call)
        new(ConsoleRoutes.Invitation, Answer.Page),
        new(ConsoleRoutes.ClientLogin, Answer.Json), // the RustDesk client's account API (Web/ClientApi)
    ];

    /// <summary>The endpoint this request posts to, or null for page views (GET, HEAD, OPTIONS) and every other path.</summary>
    public static Endpoint? Match(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            ? null
            : MatchPath(request);

    /// <summary>The endpoint at this request's path, whatever the method, or null.</summary>
    public static Endpoint? MatchPath(HttpRequest request)
    {
        var path = request.Path.Value;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        // Routing matches with or without a trailing slash and in any case; so does this list.
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        foreach (var endpoint in All)
        {
            if (string.Equals(trimmed, endpoint.Path, StringComparison.OrdinalIgnoreCase))
            {
                return endpoint;
            }
        }
        return null;
    }
}
