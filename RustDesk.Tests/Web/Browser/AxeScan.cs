using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace RustDesk.Tests.Web.Browser;

/// <summary>
/// Runs axe-core (embedded in <c>Deque.AxeCore.Playwright</c>, no network) on the page as it is and collects every
/// <c>serious</c> or <c>critical</c> violation with its rule, impact and target, so that one failed run lists them all.
/// </summary>
internal sealed class AxeScan
{
    private static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>Transitions finish at once, so that contrast is measured on the resting colours (not a half-faded dialog).</summary>
    private const string NoMotion = "*, *::before, *::after { transition: none !important; animation: none !important; }";

    private readonly List<string> _findings = [];
    private readonly List<string> _scanned = [];

    public IReadOnlyList<string> Scanned => _scanned;

    public async Task CheckAsync(IPage page, string screen)
    {
        await page.AddStyleTagAsync(new() { Content = NoMotion });
        // The style cancels every transition and animation at the next style recalculation; wait until none runs.
        await ConsolePage.WaitForTransitionsAsync(page);
        var result = await page.RunAxe();
        _scanned.Add(screen);
        foreach (var violation in result.Violations.Where(v => Blocking.Contains(v.Impact)))
        {
            foreach (var node in violation.Nodes)
            {
                _findings.Add($"{screen}: {violation.Id} ({violation.Impact}) at {node.Target} — {violation.Help}: {Shorten(string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message)))} in {Shorten(node.Html)}");
            }
        }
    }

    public void AssertClean() =>
        Assert.True(_findings.Count == 0, $"axe found {_findings.Count} serious/critical violation(s):\n" + string.Join("\n", _findings));

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 240 ? line[..240] + "…" : line;
    }
}
