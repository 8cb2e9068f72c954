using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Audit;
using RustDesk.Core.Authentication;
using RustDesk.Core.Authentication.Lockout;
using RustDesk.Core.TwoFactor;

namespace RustDesk.Core.ClientApi;

/// <summary>
/// <c>POST /api/login</c> of the RustDesk client, through the console's own sign-in steps: the password step (as an
/// unknown client: no device cookie, so the budget of unknown clients), <see cref="ClientSecondFactorPolicy"/>, the
/// TOTP / backup-code step and the emailed-code step (same lockout, window, replay and single-use rules as the pages),
/// then a token (<see cref="ClientTokenService"/>). See <c>readme.md</c>.
/// </summary>
public sealed class ClientLoginService(
    PasswordSignInService passwords,
    ClientSecondFactorPolicy policy,
    PendingSignInService pending,
    SecondFactorSignInService totpStep,
    EmailSignInService emailStep,
    ClientTokenService tokens,
    UserManager<ConsoleUser> users,
    ILogger<ClientLoginService> logger)
{
    public async Task<ClientLoginResult> LoginAsync(ClientLoginRequest request, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.Id) || string.IsNullOrEmpty(request.Uuid)
            || request.Id.Length > PendingSignIn.MaxClientIdLength || request.Uuid.Length > PendingSignIn.MaxClientUuidLength)
        {
            return ClientLoginResult.Fail(ClientLoginStatus.Malformed, ClientApiMessages.MissingClient);
        }
        var device = ClientDevice.From(request.Id, request.DeviceInfo);
        return request.Type switch
        {
            null or "" or ClientLoginRequest.PasswordStep => await PasswordStepAsync(request, device, ipAddress, cancellationToken),
            ClientLoginRequest.CodeStep => await CodeStepAsync(request, device, ipAddress, cancellationToken),
            _ => ClientLoginResult.Fail(ClientLoginStatus.Malformed, ClientApiMessages.UnknownType),
        };
    }

    private async Task<ClientLoginResult> PasswordStepAsync(ClientLoginRequest request, ClientDevice device, string? ipAddress,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.UserName))
        {
            return ClientLoginResult.Fail(ClientLoginStatus.Malformed, ClientApiMessages.MissingUserName);
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            return ClientLoginResult.Fail(ClientLoginStatus.Malformed, ClientApiMessages.MissingPassword);
        }
        var description = device.Describe();
        var check = await passwords.CheckAsync(request.UserName, request.Password, ipAddress, description, deviceCookie: null);
        switch (check.Status)
        {
            case PasswordCheckStatus.LockedOut:
                return LockedOut(check.LockedOutUntil);
            case PasswordCheckStatus.Disabled:
                return ClientLoginResult.Fail(ClientLoginStatus.Disabled, ClientApiMessages.Disabled);
            case not PasswordCheckStatus.Succeeded:
                return ClientLoginResult.Fail(ClientLoginStatus.WrongCredentials, ClientApiMessages.WrongCredentials);
        }
        var user = check.User!;
        var challenge = await policy.DecideAsync(user, cancellationToken);
        var client = new PendingClient(request.Id!, request.Uuid!);
        string secret;
        switch (challenge.Kind)
        {
            case ClientChallengeKind.Refused:
                logger.LogInformation("RustDesk client sign-in of user {UserId} refused after the password: {Reason}", user.Id, challenge.Refusal);
                return ClientLoginResult.Fail(ClientLoginStatus.Refused, challenge.Refusal!);
            case ClientChallengeKind.None:
                await passwords.CompleteAsync(user);
                return await SignedInAsync(user, device, ipAddress, SignInMethods.Password, cancellationToken);
            case ClientChallengeKind.Totp:
                secret = await pending.CreateAsync(user, SecondFactorMethod.Totp, persistent: true, PendingSignInService.TotpLifetime,
                    ipAddress, description, deviceHash: null, client, cancellationToken);
                break;
            default:
                secret = await emailStep.StartAsync(user, persistent: true, ipAddress, description, deviceHash: null, client, cancellationToken);
                break;
        }
        logger.LogInformation("RustDesk client sign-in of user {UserId} waits for its {Method} code", user.Id, challenge.Kind);
        return new(ClientLoginStatus.CodeRequired, Challenge: new ClientCodeChallenge(challenge.Kind, secret, user.UserName ?? "",
            string.IsNullOrEmpty(user.Email) ? "" : EmailRules.Mask(user.Email)));
    }

    private async Task<ClientLoginResult> CodeStepAsync(ClientLoginRequest request, ClientDevice device, string? ipAddress,
        CancellationToken cancellationToken)
    {
        var code = string.IsNullOrEmpty(request.VerificationCode) ? request.TfaCode : request.VerificationCode;
        if (string.IsNullOrEmpty(code))
        {
            return ClientLoginResult.Fail(ClientLoginStatus.Malformed, ClientApiMessages.MissingCode);
        }
        if (SecondFactorCode.Parse(code).Kind == SecondFactorKind.Invalid)
        {
            return ClientLoginResult.Fail(ClientLoginStatus.InvalidCode, ClientApiMessages.CodeFormat);
        }
        var signIn = await FindSignInAsync(request, cancellationToken);
        if (signIn is null)
        {
            return ClientLoginResult.Fail(ClientLoginStatus.WrongCode, ClientApiMessages.WrongCode);
        }
        // This request's own address and client: the audit of a wrong code, the lockout and the mails name where it came from.
        var origin = new Notifications.EventOrigin(ipAddress, device.Describe());
        if (signIn.Method == SecondFactorMethod.Totp)
        {
            var totp = await totpStep.VerifyClientAsync(signIn.Id, code, origin, cancellationToken);
            return totp.Status switch
            {
                SecondStepStatus.Succeeded => await SignedInAsync(totp.User!, device, ipAddress,
                    totp.UsedBackupCode ? SignInMethods.BackupCode : SignInMethods.Totp, cancellationToken),
                SecondStepStatus.LockedOut => LockedOut(totp.LockedOutUntil),
                SecondStepStatus.InvalidFormat => ClientLoginResult.Fail(ClientLoginStatus.InvalidCode, ClientApiMessages.CodeFormat),
                _ => ClientLoginResult.Fail(ClientLoginStatus.WrongCode, ClientApiMessages.WrongCode),
            };
        }
        var email = await emailStep.VerifyClientAsync(signIn.Id, code, origin, cancellationToken);
        return email.Status switch
        {
            EmailStepStatus.Succeeded => await SignedInAsync(email.User!, device, ipAddress, SignInMethods.EmailedCode, cancellationToken),
            EmailStepStatus.LockedOut => LockedOut(email.LockedOutUntil),
            EmailStepStatus.InvalidFormat => ClientLoginResult.Fail(ClientLoginStatus.InvalidCode, ClientApiMessages.CodeFormat),
            _ => ClientLoginResult.Fail(ClientLoginStatus.WrongCode, ClientApiMessages.WrongCode),
        };
    }

    /// <summary>
    /// The pending sign-in this code is for: by its <c>secret</c> (bound to the client's id and uuid, and to the named
    /// user when one is named), or, for older clients that send none, by user name + id + uuid. A secret presented by
    /// another client or for another user is refused and left alone: no code was checked, so nothing is counted.
    /// </summary>
    private async Task<PendingSignIn?> FindSignInAsync(ClientLoginRequest request, CancellationToken cancellationToken)
    {
        var named = string.IsNullOrEmpty(request.UserName) || request.UserName.Length > PasswordRules.MaxInputLength
            ? null
            : await users.FindByNameAsync(request.UserName);
        if (!string.IsNullOrEmpty(request.Secret))
        {
            var signIn = await pending.FindClientSignInAsync(request.Secret, cancellationToken);
            if (signIn is null)
            {
                return null;
            }
            if (signIn.ClientId != request.Id || signIn.ClientUuid != request.Uuid
                || (!string.IsNullOrEmpty(request.UserName) && named?.Id != signIn.UserId))
            {
                logger.LogWarning("Refused the secret of a RustDesk client sign-in of user {UserId}: presented by another client or for another user",
                    signIn.UserId);
                return null;
            }
            return signIn;
        }
        return named is null ? null : await pending.FindClientSignInAsync(named.Id, request.Id!, request.Uuid!, cancellationToken);
    }

    private async Task<ClientLoginResult> SignedInAsync(ConsoleUser user, ClientDevice device, string? ipAddress, string how,
        CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(user, device, ipAddress, how, cancellationToken);
        return new(ClientLoginStatus.SignedIn, SignedIn: new ClientSignedIn(token, await tokens.PayloadAsync(user)));
    }

    private ClientLoginResult LockedOut(DateTimeOffset? until) =>
        ClientLoginResult.Fail(ClientLoginStatus.LockedOut,
            until is null ? ClientApiMessages.LockedUntilUnlocked : ClientApiMessages.LockedOut(passwords.MinutesLeft(until)));
}
