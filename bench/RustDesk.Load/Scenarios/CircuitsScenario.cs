using System.Globalization;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// Memory per live Blazor circuit: the server's settled RSS (<c>--pid</c>), then <c>--circuits</c> tabs of
/// <c>--path</c> (/settings for the console, signed in once; /counter for the template with <c>--app peer</c>), each
/// waited for until its circuit runs, the settled RSS after the first half and after all of them. Per circuit is the
/// slope over the second half, (after − half) ÷ (N − N/2): the RSS before any tab depends on whether a garbage
/// collection has just run (215–249 MB for the same console in back-to-back runs, 1.7–2.6 MB "per circuit" from it),
/// while with tabs open both readings are taken in the same state of the heap. (after − before) ÷ N is printed too.
/// After each RSS reading the live managed heap is read too (<see cref="ManagedHeap"/>: a full collection, then the size
/// of what survived), and its slope printed the same way: what the circuits hold, without the collector's slack, which
/// makes the RSS slope differ by hundreds of KB between runs of the same app (the template's /counter: 261 KB in one
/// side-by-side run, 635–972 KB in three runs on a fresh machine). The tabs stay open (idle) while the figures are taken.
/// </summary>
public sealed class CircuitsScenario : IScenario
{
    public string Name => "circuits";

    public string Description => "KB of server RSS per idle circuit: --pid <server> --circuits 40 --path /settings (peer: --app peer --path /counter) [--hold SECONDS]";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var pid = options.Number("pid", 0);
        var count = options.Number("circuits", 40);
        var peer = SignInForm.For(options) == SignInForm.Peer;
        var path = options.Text("path", peer ? "counter" : "settings").TrimStart('/');
        await using var chromium = await ChromiumSession.StartAsync();
        var context = await chromium.SignedInContextAsync(options);
        // One tab first, closed again: the first circuit's one-off costs (JIT, caches) are not a circuit's.
        var first = await context.NewPageAsync();
        await first.GotoAsync(path);
        await ChromiumSession.WaitForCircuitAsync(first, peer);
        await first.CloseAsync();
        var before = await ChromiumSession.SettledRssKbAsync(pid);
        var heapBefore = ManagedHeap.LiveKb(pid);
        var pages = new List<Microsoft.Playwright.IPage>();
        async Task OpenAsync(int tabs)
        {
            for (var i = 0; i < tabs; i++)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                await ChromiumSession.WaitForCircuitAsync(page, peer);
                pages.Add(page);
            }
        }
        var half = count / 2;
        await OpenAsync(half);
        var middle = await ChromiumSession.SettledRssKbAsync(pid);
        var heapMiddle = ManagedHeap.LiveKb(pid);
        await OpenAsync(count - half);
        var after = await ChromiumSession.SettledRssKbAsync(pid);
        var heapAfter = ManagedHeap.LiveKb(pid);
        var perCircuit = (after - middle) / (double)(count - half);
        var fromZero = (after - before) / (double)count;
        var heapPerCircuit = (heapAfter - heapMiddle) / (double)(count - half);
        var heapFromZero = (heapAfter - heapBefore) / (double)count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"circuits on /{path}: RSS {before / 1024.0:F1} MB → {middle / 1024.0:F1} MB with {half} → {after / 1024.0:F1} MB with {count} idle circuits: {perCircuit:F0} KB per circuit over the second half ({fromZero:F0} KB from none)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  live managed heap after a full collection: {heapBefore / 1024.0:F1} → {heapMiddle / 1024.0:F1} → {heapAfter / 1024.0:F1} MB: {heapPerCircuit:F0} KB per circuit over the second half ({heapFromZero:F0} KB from none)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT circuits path=/{path} n={count} before_kb={before} middle_kb={middle} after_kb={after} per_circuit_kb={perCircuit:F0} from_zero_kb={fromZero:F0} heap_before_kb={heapBefore} heap_middle_kb={heapMiddle} heap_after_kb={heapAfter} heap_per_circuit_kb={heapPerCircuit:F0} heap_from_zero_kb={heapFromZero:F0}"));
        // --hold N: keep the tabs open N seconds more, e.g. for `dotnet-gcdump collect -p <pid>` from another shell.
        var hold = options.Number("hold", 0);
        if (hold > 0)
        {
            Console.WriteLine($"holding {count} circuits for {hold} s");
            await Task.Delay(TimeSpan.FromSeconds(hold), cancellationToken);
        }
        await context.CloseAsync();
        return 0;
    }
}
