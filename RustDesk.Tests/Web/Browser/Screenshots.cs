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

    internal static readonly string TempRoot = Path.Combine(Path.GetTempPath(), "rustdesk-screens");
    private static readonly Lazy<string> ThisRun = new(() =>
    {
        RemoveEarlierRuns();
        return Path.Combine(TempRoot, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    });

    /// <summary>The folder for <paramref name="relative"/> (e.g. "screens") under docs/ or under the temp directory; created.</summary>
    public static string Folder(string relative = "")
    {
        var root = IntoDocs ? Path.Combine(ConsolePage.RepositoryRoot(), "docs") : ThisRun.Value;
        var folder = Path.Combine(root, relative);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// The temp folders of test runs that have ended (named by their process id): each run keeps its screenshots for a
    /// look after it, until the next run starts, instead of every run adding its own for good.
    /// </summary>
    internal static void RemoveEarlierRuns()
    {
        if (!Directory.Exists(TempRoot))
        {
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(TempRoot))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another run cleaning up at the same moment; whatever is left goes next time.
                }
                catch (UnauthorizedAccessException)
                {
                    // Another user's run on a shared machine: theirs to remove.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
