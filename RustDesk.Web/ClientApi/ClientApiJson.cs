using System.Text.Json;
using System.Text.Json.Serialization;
using RustDesk.Core.ClientApi;

namespace RustDesk.Web.ClientApi;

/// <summary>
/// The account API's JSON, named exactly as the RustDesk client sends and parses it
/// (<c>../shared/reference/rustdesk-client-api.md</c>): camelCase requests, snake_case answers.
/// </summary>
public static class ClientApiJson
{
    /// <summary>Strict reading: exact property names, no comments or trailing commas, numbers are not strings; unknown properties are ignored (newer clients may add some).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = false,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    public sealed record LoginBody(
        [property: JsonPropertyName("username")] string? Username,
        [property: JsonPropertyName("email")] string? Email,
        [property: JsonPropertyName("password")] string? Password,
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("uuid")] string? Uuid,
        [property: JsonPropertyName("autoLogin")] bool? AutoLogin,
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("verificationCode")] string? VerificationCode,
        [property: JsonPropertyName("tfaCode")] string? TfaCode,
        [property: JsonPropertyName("secret")] string? Secret,
        [property: JsonPropertyName("deviceInfo")] DeviceInfoBody? DeviceInfo)
    {
        public ClientLoginRequest ToRequest() => new()
        {
            Username = Username,
            Email = Email,
            Password = Password,
            Id = Id,
            Uuid = Uuid,
            Type = Type,
            VerificationCode = VerificationCode,
            TfaCode = TfaCode,
            Secret = Secret,
            DeviceInfo = DeviceInfo is null ? null : new ClientDeviceInfo(DeviceInfo.Os, DeviceInfo.Type, DeviceInfo.Name),
        };
    }

    public sealed record DeviceInfoBody(
        [property: JsonPropertyName("os")] string? Os,
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("name")] string? Name);

    public sealed record ErrorAnswer([property: JsonPropertyName("error")] string Error);

    /// <summary>Step 1 when a code is needed. The top-level <c>type</c> is always <c>"email_check"</c>; <c>tfa_type</c> picks the dialog.</summary>
    public sealed record ChallengeAnswer(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("tfa_type")] string TfaType,
        [property: JsonPropertyName("secret")] string Secret,
        [property: JsonPropertyName("user")] ChallengeUser User);

    /// <summary>The older UI reads these two unconditionally; the address is masked, as on the console's email page.</summary>
    public sealed record ChallengeUser(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("email")] string Email);

    public sealed record TokenAnswer(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("user")] UserAnswer User);

    public sealed record UserAnswer(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("display_name")] string DisplayName,
        [property: JsonPropertyName("avatar")] string Avatar,
        [property: JsonPropertyName("email")] string Email,
        [property: JsonPropertyName("note")] string Note,
        [property: JsonPropertyName("status")] int Status,
        [property: JsonPropertyName("is_admin")] bool IsAdmin,
        [property: JsonPropertyName("verifier")] string Verifier,
        [property: JsonPropertyName("info")] UserInfoAnswer Info)
    {
        public static UserAnswer From(ClientUserPayload user) => new(user.Name, user.DisplayName, "", user.Email, user.Note, user.Status,
            user.IsAdmin, "", new UserInfoAnswer(user.EmailVerification, user.EmailAlarmNotification, [], new Dictionary<string, string>()));
    }

    public sealed record UserInfoAnswer(
        [property: JsonPropertyName("email_verification")] bool EmailVerification,
        [property: JsonPropertyName("email_alarm_notification")] bool EmailAlarmNotification,
        [property: JsonPropertyName("login_device_whitelist")] string[] LoginDeviceWhitelist,
        [property: JsonPropertyName("other")] Dictionary<string, string> Other);

    /// <summary>What <c>/api/login</c> answers for a result of Core.</summary>
    public static object Answer(ClientLoginResult result) => result.Status switch
    {
        ClientLoginStatus.SignedIn => new TokenAnswer("access_token", result.SignedIn!.AccessToken, UserAnswer.From(result.SignedIn.User)),
        ClientLoginStatus.CodeRequired => new ChallengeAnswer("email_check",
            result.Challenge!.Kind == ClientChallengeKind.Totp ? "tfa_check" : "email_check",
            result.Challenge.Secret, new ChallengeUser(result.Challenge.UserName, result.Challenge.MaskedEmail)),
        _ => new ErrorAnswer(result.Error ?? ClientApiMessages.WrongCredentials),
    };
}
