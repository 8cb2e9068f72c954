using System.Globalization;

namespace RustDesk.Load.Scenarios;

/// <summary>The settled RSS of a process (<c>--pid</c>): sampled each second until three samples lie within 1 %.</summary>
public sealed class RssScenario : IScenario
{
    public string Name => "rss";

    public string Description => "settled VmRSS of --pid, in KB";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var kb = await ChromiumSession.SettledRssKbAsync(options.Number("pid", 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT rss kb={kb}"));
        return 0;
    }
}
