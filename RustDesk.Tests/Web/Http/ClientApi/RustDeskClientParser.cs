using System.Text.Json;

namespace RustDesk.Tests.Web.Http.ClientApi;

/// <summary>
/// A strict model of what the unmodified RustDesk client accepts (../shared/reference/rustdesk-client-api.md): its
/// Flutter <c>LoginResponse</c> and Rust <c>AuthBody</c> / <c>UserPayload</c> / <c>UserInfo</c>. Whatever the client
/// would fail on ("bad response from server", a serde error) throws <see cref="ClientParseException"/> here. Every
/// answer of the account API in these tests goes through it.
/// </summary>
internal static class RustDeskClientParser
{
    public enum LoginKind
    {
        Error,
        EmailDialog,
        AuthenticatorDialog,
        Token,
    }

    public sealed record LoginResponse(LoginKind Kind, string? Error = null, string? Secret = null, string? AccessToken = null, JsonElement? User = null);

    /// <summary>An answer of <c>/api/login</c> as the client reads it.</summary>
    public static LoginResponse ParseLogin(string json)
    {
        var root = Object(Parse(json), "the answer");
        if (root.TryGetProperty("error", out var error))
        {
            return new(LoginKind.Error, Error: String(error, "error"));
        }
        var type = String(Required(root, "type"), "type");
        switch (type)
        {
            case "access_token":
                var token = String(Required(root, "access_token"), "access_token");
                if (token.Length == 0)
                {
                    throw new ClientParseException("empty access_token");
                }
                var user = Required(root, "user");
                ParseUserPayload(user);
                return new(LoginKind.Token, AccessToken: token, User: user.Clone());
            case "email_check":
                var kind = root.TryGetProperty("tfa_type", out var tfa) && tfa.ValueKind != JsonValueKind.Null
                    ? String(tfa, "tfa_type") switch
                    {
                        "email_check" => LoginKind.EmailDialog,
                        "tfa_check" => LoginKind.AuthenticatorDialog,
                        var other => throw new ClientParseException($"unknown tfa_type \"{other}\""),
                    }
                    : LoginKind.EmailDialog;
                var secret = String(Required(root, "secret"), "secret");
                var challenged = Object(Required(root, "user"), "user");
                String(Required(challenged, "name"), "user.name");
                String(Required(challenged, "email"), "user.email");
                return new(kind, Secret: secret);
            default:
                throw new ClientParseException($"bad response from server (type \"{type}\")");
        }
    }

    /// <summary>The user as <c>UserPayload</c> (flat on <c>/api/currentUser</c>, under <c>user</c> at sign-in).</summary>
    public static void ParseUserPayload(JsonElement user)
    {
        Object(user, "user");
        String(Required(user, "name"), "name");
        foreach (var name in new[] { "display_name", "avatar", "email", "note", "verifier" })
        {
            String(Required(user, name), name);
        }
        var status = Required(user, "status");
        if (status.ValueKind != JsonValueKind.Number || !status.TryGetInt32(out var value) || value is not (0 or -1 or 1))
        {
            throw new ClientParseException("status must be 0, -1 or 1");
        }
        Bool(Required(user, "is_admin"), "is_admin");
        var info = Object(Required(user, "info"), "info");
        Bool(Required(info, "email_verification"), "info.email_verification");
        Bool(Required(info, "email_alarm_notification"), "info.email_alarm_notification");
        if (Required(info, "login_device_whitelist").ValueKind != JsonValueKind.Array)
        {
            throw new ClientParseException("info.login_device_whitelist must be an array");
        }
        foreach (var entry in Object(Required(info, "other"), "info.other").EnumerateObject())
        {
            String(entry.Value, "info.other." + entry.Name);
        }
    }

    /// <summary>An error answer as the client reads it: <c>{"error": "…"}</c>.</summary>
    public static string ParseError(string json)
    {
        var response = ParseLogin(json);
        return response.Kind == LoginKind.Error ? response.Error! : throw new ClientParseException("expected an error, got " + response.Kind);
    }

    private static JsonElement Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ClientParseException("not JSON: " + e.Message);
        }
    }

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : throw new ClientParseException($"missing \"{name}\"");

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new ClientParseException(what + " must be an object");

    private static string String(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new ClientParseException(what + " must be a string");

    private static bool Bool(JsonElement element, string what) =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False ? element.GetBoolean() : throw new ClientParseException(what + " must be a JSON bool");
}

internal sealed class ClientParseException(string message) : Exception(message);
