using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RustDesk.Core.ClientApi;
using RustDesk.Web.Hosting;

namespace RustDesk.Web.ClientApi;

/// <summary>
/// The RustDesk client's account API: <c>POST /api/login</c>, <c>POST /api/currentUser</c>, <c>POST /api/logout</c>,
/// <c>GET /api/login-options</c>. These endpoints only bound and parse the body, call Core
/// (<see cref="ClientLoginService"/>, <see cref="ClientTokenService"/>) and write JSON. Every refusal is HTTP 200 with
/// <c>{"error": "…"}</c>, which the client shows, except an unusable token on <c>currentUser</c>: 401, which makes the
/// client drop it. <c>/api/login</c> is one of the <see cref="Hosting.SignInEndpoints"/> (rate limit, hashing gate).
/// </summary>
public static class ClientApiEndpoints
{
    /// <summary>Request bodies above this are refused unread; the client's largest request is well under 1 KB.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapClientApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ConsoleRoutes.ClientLogin, LoginAsync);
        endpoints.MapPost(ConsoleRoutes.ClientCurrentUser, CurrentUserAsync);
        endpoints.MapPost(ConsoleRoutes.ClientLogout, LogoutAsync);
        endpoints.MapGet(ConsoleRoutes.ClientLoginOptions, () => Results.Json(Array.Empty<string>(), ClientApiJson.Options));
        return endpoints;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, [FromServices] ClientLoginService logins, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return Error(ClientApiMessages.TooLarge);
        }
        ClientApiJson.LoginBody? login;
        try
        {
            login = JsonSerializer.Deserialize<ClientApiJson.LoginBody>(body, ClientApiJson.Options);
        }
        catch (JsonException e)
        {
            // A value of the wrong type names its field; broken JSON does not (its path is only where reading stopped).
            var wrongType = e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
            return Error(ClientApiMessages.Malformed(wrongType ? e.Path : null));
        }
        if (login is null)
        {
            return Error(ClientApiMessages.Malformed(null));
        }
        var result = await logins.LoginAsync(login.ToRequest(), context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return Results.Json(ClientApiJson.Answer(result), ClientApiJson.Options);
    }

    private static async Task<IResult> CurrentUserAsync(HttpContext context, [FromServices] ClientTokenService tokens, CancellationToken cancellationToken)
    {
        // The body ({id, uuid}) says nothing the token does not; it is bounded, not read.
        var user = await tokens.AuthenticateAsync(BearerToken(context.Request), cancellationToken);
        if (user is null)
        {
            return Results.Json(new ClientApiJson.ErrorAnswer(ClientApiMessages.SignedOut), ClientApiJson.Options, statusCode: StatusCodes.Status401Unauthorized);
        }
        return Results.Json(ClientApiJson.UserAnswer.From(await tokens.PayloadAsync(user)), ClientApiJson.Options);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, [FromServices] ClientTokenService tokens, CancellationToken cancellationToken)
    {
        await tokens.SignOutAsync(BearerToken(context.Request), cancellationToken);
        return Results.Json(new Dictionary<string, string>(), ClientApiJson.Options);
    }

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        return length > MaxBodyBytes ? null : buffer[..length];
    }

    private static IResult Error(string message) => Results.Json(new ClientApiJson.ErrorAnswer(message), ClientApiJson.Options);
}
