using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RustDesk.Core.Accounts;
using RustDesk.Core.Data;

namespace RustDesk.Core.Sessions;

/// <summary>What <see cref="SessionGuard"/> found about the session a call came from.</summary>
public enum SessionCheck
{
    Valid,
    /// <summary>No such session of this user: revoked, expired, signed out, a changed security stamp, a disabled account, or a forged id.</summary>
    Ended,
    /// <summary>Staff enforce 2FA for the user, who has not enrolled: only enrollment may be called.</summary>
    MustEnroll,
    /// <summary>The user signed in with a generated first password: only the password change may be called.</summary>
    MustChangePassword,
}

/// <summary>What a call reaches, for the enforced-2FA rule.</summary>
public enum SessionAccess
{
    /// <summary>Any part of the console but enrollment: refused while the user must enroll.</summary>
    Console,
    /// <summary>Enrolling (and re-verifying for it): allowed while the user must enroll.</summary>
    Enrollment,
    /// <summary>Changing one's own password (and rating the new one): allowed while a generated password must be replaced.</summary>
    PasswordChange,
}

/// <summary>A call from a session that may not make it (see <see cref="SessionCheck"/>). The circuit's runner signs the page out.</summary>
public sealed class SessionRefusedException(SessionCheck reason)
    : Exception(reason switch
    {
        SessionCheck.MustEnroll => "The user must enroll in 2FA first.",
        SessionCheck.MustChangePassword => "The user must replace a generated password first.",
        _ => "The session has ended.",
    })
{
    public SessionCheck Reason { get; } = reason;
}

/// <summary>
/// Every Core method that an interactive page calls asks this guard first, with the user id and session id of the
/// page's authentication state. An open page re-checks its session only every <see cref="ConsoleSessionOptions.RevalidationSeconds"/>;
/// the guard closes that window, so a revoked page can neither act nor read, and a user held on enrollment by enforced
/// 2FA can call nothing but enrollment, whatever the client sends; likewise an administrator who signed in with the
/// generated first password can call nothing but the password change until it is replaced.
/// </summary>
public sealed class SessionGuard(ConsoleDbContext db, SessionService sessions, ILogger<SessionGuard> logger)
{
    public async Task<SessionCheck> CheckAsync(string? userId, string? sessionId, SessionAccess access = SessionAccess.Console,
        CancellationToken cancellationToken = default)
    {
        // One statement: the session's validity (SessionService's rule) and the user's holds, read together.
        var held = await sessions.ValidUsers(sessionId, userId)
            .Select(u => new
            {
                u.MustChangePassword,
                MustEnroll = u.TwoFactorEnforced && !db.UserIdsWithTwoFactor().Contains(u.Id),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (held is null)
        {
            return SessionCheck.Ended;
        }
        if (held.MustChangePassword && access != SessionAccess.PasswordChange)
        {
            return SessionCheck.MustChangePassword;
        }
        return held.MustEnroll && access != SessionAccess.Enrollment ? SessionCheck.MustEnroll : SessionCheck.Valid;
    }

    /// <summary>Throws <see cref="SessionRefusedException"/> unless the session may make a call of <paramref name="access"/>.</summary>
    public async Task RequireAsync(string? userId, string? sessionId, SessionAccess access = SessionAccess.Console,
        CancellationToken cancellationToken = default)
    {
        var check = await CheckAsync(userId, sessionId, access, cancellationToken);
        if (check != SessionCheck.Valid)
        {
            throw Refuse(userId, check);
        }
    }

    /// <summary>
    /// For methods that take a secret and answer with a status: false when the session has ended (the caller answers
    /// with its own "session ended" status, so a flood of guesses from a signed-out page stays a stream of refusals);
    /// throws while the user is held on enrollment or on the password change and the call is not that.
    /// </summary>
    public async Task<bool> IsOpenAsync(string? userId, string? sessionId, SessionAccess access = SessionAccess.Console,
        CancellationToken cancellationToken = default)
    {
        var check = await CheckAsync(userId, sessionId, access, cancellationToken);
        if (check is SessionCheck.MustEnroll or SessionCheck.MustChangePassword)
        {
            throw Refuse(userId, check);
        }
        if (check == SessionCheck.Ended)
        {
            logger.LogWarning("Refused a call for user {UserId}: {Reason}", userId, check);
        }
        return check == SessionCheck.Valid;
    }

    /// <summary>True while staff enforce 2FA for the user and the user has not enrolled.</summary>
    public Task<bool> MustEnrollAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnforced && !db.UserIdsWithTwoFactor().Contains(u.Id), cancellationToken);

    private SessionRefusedException Refuse(string? userId, SessionCheck check)
    {
        logger.LogWarning("Refused a call for user {UserId}: {Reason}", userId, check);
        return new SessionRefusedException(check);
    }
}
