namespace RustDesk.Core.ClientApi;

/// <summary>
/// A <c>POST /api/login</c> as the RustDesk client sends it (request fields are camelCase on the wire; the web host
/// parses them). Step 1 is <c>type: "account"</c> with the password; step 2 is <c>type: "email_code"</c> with the code,
/// for the emailed code and TOTP alike.
/// </summary>
public sealed record ClientLoginRequest
{
    public string? Username { get; init; }

    /// <summary>The oldest clients name the user here in step 2 instead of in <see cref="Username"/>.</summary>
    public string? Email { get; init; }

    public string? Password { get; init; }

    /// <summary>The client's RustDesk ID.</summary>
    public string? Id { get; init; }

    public string? Uuid { get; init; }

    public string? Type { get; init; }

    /// <summary>The code of step 2; always read.</summary>
    public string? VerificationCode { get; init; }

    /// <summary>A copy of the code that newer clients add for TOTP; read only when <see cref="VerificationCode"/> is missing.</summary>
    public string? TfaCode { get; init; }

    /// <summary>The handle step 1 answered; older clients send none.</summary>
    public string? Secret { get; init; }

    public ClientDeviceInfo? DeviceInfo { get; init; }

    /// <summary>The name the user signs in with: <see cref="Username"/>, or <see cref="Email"/> for the oldest clients.</summary>
    public string? UserName => string.IsNullOrEmpty(Username) ? Email : Username;

    public const string PasswordStep = "account";
    public const string CodeStep = "email_code";
}

/// <summary>The client's <c>deviceInfo</c>: <c>os</c> ("windows", "linux", "macos", "android", "ios"), <c>type</c> ("client" or "browser"), <c>name</c> (the computer's name).</summary>
public sealed record ClientDeviceInfo(string? Os, string? Type, string? Name);
