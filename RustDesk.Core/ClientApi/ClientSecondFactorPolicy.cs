using RustDesk.Core.Accounts;
using RustDesk.Core.Authentication;

namespace RustDesk.Core.ClientApi;

/// <summary>What a RustDesk client must do after the right password.</summary>
public enum ClientChallengeKind
{
    /// <summary>No second factor: the client gets its token now.</summary>
    None,
    /// <summary>The authenticator dialog (<c>tfa_type: "tfa_check"</c>); backup codes are accepted too.</summary>
    Totp,
    /// <summary>The emailed-code dialog (<c>tfa_type: "email_check"</c>).</summary>
    Email,
    /// <summary>The client cannot complete this user's sign-in; <see cref="ClientChallenge.Refusal"/> says why.</summary>
    Refused,
}

/// <param name="Refusal">For <see cref="ClientChallengeKind.Refused"/>: the English sentence the client shows.</param>
public sealed record ClientChallenge(ClientChallengeKind Kind, string? Refusal = null);

/// <summary>
/// The one place that decides which second factor the account API asks of a user. It follows the console's own
/// decision (<see cref="PendingSignInService.RequiredMethodAsync"/>: TOTP when on, else the emailed code when email
/// verification applies), and refuses what the unmodified client cannot do: a user who must still enroll in 2FA or
/// replace a generated password has to visit the web console first. A second factor the client has no dialog for
/// (e.g. a passkey-only account) is refused here, with a sentence that says so.
/// </summary>
public sealed class ClientSecondFactorPolicy(PendingSignInService pending, Sessions.SessionGuard guard, TwoFactor.SecondFactorVerifier factors)
{
    public async Task<ClientChallenge> DecideAsync(ConsoleUser user, CancellationToken cancellationToken = default)
    {
        if (user.MustChangePassword)
        {
            return new(ClientChallengeKind.Refused, ClientApiMessages.MustChangePassword);
        }
        if (await guard.MustEnrollAsync(user.Id, cancellationToken))
        {
            return new(ClientChallengeKind.Refused, ClientApiMessages.MustEnroll);
        }
        var method = await pending.RequiredMethodAsync(user, cancellationToken);
        if (method == SecondFactorMethod.Totp && !await factors.HasTotpAsync(user.Id, cancellationToken))
        {
            // The 2FA step is there for the user's passkeys only: nothing the client can answer. (Email verification
            // does not stand in for it: the console's own sign-in asks for the passkey then, and so must every path.)
            return new(ClientChallengeKind.Refused, ClientApiMessages.PasskeyOnly);
        }
        return method switch
        {
            SecondFactorMethod.Totp => new(ClientChallengeKind.Totp),
            SecondFactorMethod.Email => new(ClientChallengeKind.Email),
            _ => new(ClientChallengeKind.None),
        };
    }
}
