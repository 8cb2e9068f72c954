using System.Security.Claims;

namespace RustDesk.Core.Sessions;

public static class SessionClaims
{
    /// <summary>Claim carrying the session's id (the hash of its key), added when the session is stored.</summary>
    public const string SessionId = "rd:sid";

    public static string? GetSessionId(this ClaimsPrincipal principal) => principal.FindFirst(SessionId)?.Value;
}
