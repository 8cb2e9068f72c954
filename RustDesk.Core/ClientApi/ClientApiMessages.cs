namespace RustDesk.Core.ClientApi;

/// <summary>
/// The English sentences the account API answers in <c>{"error": …}</c>. The client translates the first two exactly
/// as written (they must not change); it shows the others as they are.
/// </summary>
public static class ClientApiMessages
{
    /// <summary>Unknown user, wrong password, or unusable name or password: never told apart.</summary>
    public const string WrongCredentials = "Wrong credentials";

    /// <summary>A wrong, expired, voided or replayed code, and a <c>secret</c> that is unknown, expired, spent or not this client's.</summary>
    public const string WrongCode = "The verification code is incorrect or has expired";

    public const string Disabled = "This account is disabled. Ask your administrator.";

    public const string MustEnroll =
        "Your administrator requires two-factor authentication for your account. Set it up in the web console first, then sign in here again.";

    /// <summary>A user whose second factor is a passkey and no authenticator app: the client has no WebAuthn.</summary>
    public const string PasskeyOnly =
        "Your account signs in with a passkey, which the RustDesk client cannot use. Add an authenticator app in the web console (Settings, Security settings), then sign in here with its code.";

    public const string MustChangePassword = "You must choose a new password in the web console first, then sign in here again.";

    public const string LockedUntilUnlocked =
        "Too many failed sign-in attempts: the account is locked until an administrator unlocks it or you sign in from a browser you have used before.";

    public const string CodeFormat = "The verification code must be 6 digits (or a 10-digit backup code).";

    public const string UnknownType = "Unsupported request type: use \"account\" to sign in with a password or \"email_code\" to send a verification code.";

    public const string MissingClient = "Malformed request: the client's \"id\" and \"uuid\" are required.";

    public const string MissingUserName = "Malformed request: \"username\" is required.";

    public const string MissingPassword = "Malformed request: \"password\" is required.";

    public const string MissingCode = "Malformed request: \"verificationCode\" is required.";

    public const string SignedOut = "The sign-in has ended. Sign in again.";

    public static string LockedOut(int minutes) =>
        minutes <= 1
            ? "Too many failed sign-in attempts. Try again in 1 minute."
            : $"Too many failed sign-in attempts. Try again in {minutes} minutes.";

    public const string TooLarge = "The request is too large.";

    /// <summary>A body that is not the JSON object the client sends; <paramref name="path"/> names the field with the wrong type, if known.</summary>
    public static string Malformed(string? path) =>
        path is null or "$" || !path.StartsWith("$.", StringComparison.Ordinal)
            ? "Malformed request: the body must be a JSON object as the RustDesk client sends it."
            : $"Malformed request: \"{path[2..]}\" has the wrong type.";
}
