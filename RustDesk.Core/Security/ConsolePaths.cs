namespace RustDesk.Core.Security;

/// <summary>
/// The console's routes that Core itself writes into links (mail). The web host's <c>ConsoleRoutes</c> reuses these
/// values; both are part of the outside contract (<c>CONTRACT.md</c>), so they never change.
/// </summary>
public static class ConsolePaths
{
    /// <summary>First password from an invitation link (<c>?token=…</c>).</summary>
    public const string Invitation = "/account/invitation";
}
