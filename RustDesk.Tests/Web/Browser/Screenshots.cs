namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// Where browser tests save screenshots. Under <c>RUSTDESK_SCREENS=1</c> (set by <c>scripts/screens.sh</c>) they go into
/// the repository's tracked <c>docs/</c> folder; otherwise into a folder under the temp directory, so that an ordinary
/// test run never modifies tracked files.
/// </summary>
internal static class Screenshots
{
    public const string EnvironmentVariable = "RUSTDESK_SCREENS";

    public static bool IntoDocs => Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    /// <summary>The folder for <paramref name="relative"/> (e.g. "screens") under docs/ or under the temp directory; created.</summary>
    public static string Folder(string relative = "")
    {
        var root = IntoDocs
            ? Path.Combine(ConsolePage.RepositoryRoot(), "docs")
            : Path.Combine(Path.GetTempPath(), "rustdesk-screens", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var folder = Path.Combine(root, relative);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
