namespace RustDesk.Core.ClientApi;

public enum ClientLoginStatus
{
    /// <summary>The client gets its access token.</summary>
    SignedIn,
    /// <summary>Step 1 passed; the client asks for a code (<see cref="ClientLoginResult.Challenge"/>).</summary>
    CodeRequired,
    WrongCredentials,
    /// <summary>A wrong, expired or replayed code, or a <c>secret</c> that is unknown, spent, expired or not this client's.</summary>
    WrongCode,
    /// <summary>The code is not a code (length, characters): refused before anything is checked or counted.</summary>
    InvalidCode,
    LockedOut,
    Disabled,
    /// <summary>The client cannot finish this user's sign-in (enroll in 2FA or change the password in the console first).</summary>
    Refused,
    /// <summary>Missing fields or an unknown <c>type</c>; nothing was checked or counted.</summary>
    Malformed,
}

/// <summary>What <c>/api/login</c> answers: an error sentence, a code challenge, or a token and the user.</summary>
public sealed record ClientLoginResult(ClientLoginStatus Status, string? Error = null, ClientCodeChallenge? Challenge = null,
    ClientSignedIn? SignedIn = null)
{
    public static ClientLoginResult Fail(ClientLoginStatus status, string error) => new(status, error);
}

/// <param name="Secret">The opaque handle of the pending sign-in (the client sends it back with the code).</param>
/// <param name="MaskedEmail">The user's address as the email page shows it ("a***@example.com"), or empty.</param>
public sealed record ClientCodeChallenge(ClientChallengeKind Kind, string Secret, string UserName, string MaskedEmail);

public sealed record ClientSignedIn(string AccessToken, ClientUserPayload User);

/// <summary>The user as the client shows it (<c>UserPayload</c>): wire names are the web host's business.</summary>
public sealed record ClientUserPayload(string Name, string DisplayName, string Email, string Note, int Status, bool IsAdmin,
    bool EmailVerification, bool EmailAlarmNotification);
