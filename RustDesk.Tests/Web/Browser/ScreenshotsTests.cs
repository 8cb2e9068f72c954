namespace RustDesk.Tests.Web.Browser;

/// <summary>An ordinary test run keeps its screenshots in the temp folder until the next run, not for good.</summary>
public sealed class ScreenshotsTests
{
    [Fact]
    public void RemoveEarlierRuns_RemovesTheFolderOfAnEndedRunAndKeepsThisRunsAndOthers()
    {
        // A pid above Linux's maximum (2^22) belongs to no process; this run's own folder and a name that is no pid stay.
        var ended = Path.Combine(Screenshots.TempRoot, "2147483647");
        var own = Path.Combine(Screenshots.TempRoot, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var other = Path.Combine(Screenshots.TempRoot, "not-a-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(ended, "screens"));
        File.WriteAllText(Path.Combine(ended, "screens", "old.png"), "png");
        Directory.CreateDirectory(own);
        Directory.CreateDirectory(other);
        try
        {
            Screenshots.RemoveEarlierRuns();

            Assert.False(Directory.Exists(ended));
            Assert.True(Directory.Exists(own));
            Assert.True(Directory.Exists(other));
        }
        finally
        {
            Directory.Delete(other);
        }
    }
}
