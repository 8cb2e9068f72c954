using RustDesk.Core.Security;

namespace RustDesk.Web.Hosting;

/// <summary>
/// Every route the console navigates to, redirects to, links to or maps, in one place. The values are the outside
/// contract (<c>CONTRACT.md</c>): bookmarks, scripts and browser tests rely on them, so they never change.
/// Pages keep their literal <c>@page</c> directive (a reader looks there first); <c>ConsoleRoutesTests</c> checks
/// that each page route here is one a page declares.
/// </summary>
public static class ConsoleRoutes
{
    /// <summary>The console's start: the settings page for a signed-in user, else the sign-in page.</summary>
    public const string Home = "/";

    /// <summary>User name and password (static form).</summary>
    public const string SignIn = "/account/login";

    /// <summary>The second step with TOTP, a backup code or a passkey.</summary>
    public const string SignInTotp = "/account/login/2fa";

    /// <summary>The second step with the emailed code.</summary>
    public const string SignInEmail = "/account/login/email";

    /// <summary>Issues the challenge of a passwordless passkey sign-in (JSON options; sets the handle cookie).</summary>
    public const string SignInPasskeyOptions = "/account/login/passkey-options";

    /// <summary>POST signs out.</summary>
    public const string SignOut = "/account/logout";

    /// <summary>Signed in, but not allowed on the page asked for.</summary>
    public const string AccessDenied = "/account/access-denied";

    /// <summary>Holds a user who must replace a generated first password.</summary>
    public const string ChangePassword = "/account/change-password";

    /// <summary>First password from an invitation link (Core writes the link).</summary>
    public const string Invitation = ConsolePaths.Invitation;

    /// <summary>The settings page (Basic tab); <c>/settings/{tab}</c> opens another tab.</summary>
    public const string Settings = "/settings";

    /// <summary>The settings page's Security tab.</summary>
    public const string SettingsSecurity = "/settings/security";

    /// <summary>Holds a user for whom staff enforce 2FA until they have enrolled.</summary>
    public const string Enrollment = "/enrol-2fa";

    /// <summary>User administration.</summary>
    public const string AdminUsers = "/admin/users";

    /// <summary>The audit log.</summary>
    public const string AdminAudit = "/admin/audit";

    /// <summary>Mail settings with a test send.</summary>
    public const string AdminSmtp = "/admin/smtp";

    /// <summary>The language switch (<c>?culture=…&amp;returnUrl=…</c>).</summary>
    public const string SetCulture = "/culture/set";

    /// <summary>Health: 200 with the database reachable, 503 otherwise.</summary>
    public const string Health = "/healthz";

    /// <summary>The page an unhandled error re-executes (production).</summary>
    public const string Error = "/error";

    /// <summary>The page an empty error status re-executes; <c>{0}</c> is the status code.</summary>
    public const string StatusPage = "/status/{0}";

    /// <summary>The RustDesk client's sign-in (both steps, JSON; <c>docs/client-api.md</c>).</summary>
    public const string ClientLogin = "/api/login";

    /// <summary>The RustDesk client asks who its bearer token belongs to.</summary>
    public const string ClientCurrentUser = "/api/currentUser";

    /// <summary>The RustDesk client ends its token.</summary>
    public const string ClientLogout = "/api/logout";

    /// <summary>The RustDesk client asks which third-party sign-ins exist (none).</summary>
    public const string ClientLoginOptions = "/api/login-options";

    /// <summary>The pages every signed-in user reaches whatever holds them (sign-in, sign-out, static files, status pages).</summary>
    public static readonly IReadOnlyList<string> AlwaysOpen =
        ["/account/", "/_blazor", "/_framework", "/_content", Health, "/culture/", "/status/", Error, "/not-found"];
}
