using System.Globalization;
using Microsoft.Playwright;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// Click on "Enable 2FA" → QR painted, measured in the page: a capture-phase click listener records
/// <c>performance.now()</c> at the click, a MutationObserver waits for the QR <c>&lt;img&gt;</c> to be in the DOM and
/// decoded, and the next <c>requestAnimationFrame</c> (the frame that paints it) gives the end. The first opening asks
/// for re-verification (answered with the password, not measured); then the dialog is cancelled and opened again
/// <c>--samples</c> times within the re-verification window. Prints the median and the spread.
/// </summary>
public sealed class QrScenario : IScenario
{
    private const string Probe = """
        () => new Promise(resolve => {
          let t0 = 0;
          const done = () => requestAnimationFrame(() => resolve(performance.now() - t0));
          document.addEventListener('click', e => {
            if (e.target.closest("[data-testid='tfa-enable']")) { t0 = performance.now(); }
          }, { capture: true, once: true });
          const check = () => {
            const img = document.querySelector("img[data-testid='tfa-qr']");
            if (t0 && img) {
              observer.disconnect();
              if (img.complete && img.naturalWidth > 0) { done(); } else { img.decode().then(done, done); }
              return true;
            }
            return false;
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        })
        """;

    public string Name => "qr";

    public string Description => "click Enable 2FA → QR painted, in the page (--samples 15); signs in as --user";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var samples = options.Number("samples", 15);
        await using var chromium = await ChromiumSession.StartAsync();
        var context = await chromium.SignedInContextAsync(options);
        var page = await context.NewPageAsync();
        await page.GotoAsync("settings/security");
        await ChromiumSession.WaitForCircuitAsync(page, peer: false);
        await page.GetByTestId("tfa-enable").ClickAsync();
        var reverify = page.Locator("input[data-testid='reverify-code'], [data-testid='reverify-code'] input").First;
        await reverify.FillAsync(options.Password);
        await page.GetByTestId("reverify-submit").ClickAsync();
        await page.GetByTestId("tfa-qr").WaitForAsync();
        var times = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            await page.GetByTestId("tfa-cancel").ClickAsync();
            await page.GetByTestId("tfa-qr").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await page.GetByTestId("tfa-enable").WaitForAsync();
            await Task.Delay(300, cancellationToken);
            var measured = page.EvaluateAsync<double>(Probe);
            await Task.Delay(50, cancellationToken);
            await page.GetByTestId("tfa-enable").ClickAsync();
            times.Add(await measured);
        }
        var stats = new LatencyStats(times, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"click Enable 2FA → QR painted: median {stats.Percentile(50):F0} ms, min {times.Min():F0} ms, p95 {stats.Percentile(95):F0} ms (n={times.Count})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT qr median={stats.Percentile(50):F0} min={times.Min():F0} p95={stats.Percentile(95):F0} n={times.Count}"));
        await context.CloseAsync();
        return 0;
    }
}
