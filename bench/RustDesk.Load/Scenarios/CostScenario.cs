using System.Globalization;
using System.Net;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// Where a sign-in's server CPU goes: one client, one request at a time (no queueing, no contention), the server's
/// CPU time (<c>--pid</c>, <c>/proc</c>) over <c>--count</c> repetitions of each part of a full sign-in, after
/// <c>--warmup</c> repetitions of each: GET the sign-in form (a fresh browser each time); GET the landing page as a
/// browser that signed in once; full sign-ins (form + POST + landing page, a fresh browser each); form + a POST with a wrong password for a name
/// that is no account (one hash of the same cost, no session). The POST is what
/// remains (sign-in − form − landing page); its non-hash part is the POST minus one password hash at the app's
/// iteration count (<c>--hash-ms</c>, the CPU time the <c>hash</c> scenario measured). <c>--app peer</c> drives the
/// Identity template.
/// </summary>
public sealed class CostScenario : IScenario
{
    public string Name => "cost";

    public string Description => "server CPU per part of a sign-in, one request at a time (--pid, --count 60, --warmup 10, --hash-ms, --app)";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var pid = options.Number("pid", 0);
        if (pid <= 0)
        {
            Console.Error.WriteLine("cost needs --pid (the server's process id)");
            return 2;
        }
        var count = options.Number("count", 60);
        var warmup = options.Number("warmup", 10);
        var form = SignInForm.For(options);
        var address = 0;
        string NextAddress() => SignInScenario.ClientAddress(options, address++);

        // The landing page: where the sign-in sends a browser, fetched again and again by that browser.
        using var signedIn = new ConsoleBrowser(options.Url, NextAddress(), form);
        var token = await signedIn.GetSignInTokenAsync(cancellationToken);
        var (status, location) = await signedIn.PostSignInAsync(token, options.User, options.Password, cancellationToken);
        if (status != HttpStatusCode.Redirect || location is null)
        {
            Console.Error.WriteLine($"sign-in as {options.User} answered {(int)status} {location}");
            return 1;
        }

        async Task<double> CpuMsPerAsync(Func<Task<bool>> once)
        {
            for (var i = 0; i < warmup; i++)
            {
                await once();
            }
            var from = ServerCpu.Seconds(pid);
            for (var i = 0; i < count; i++)
            {
                if (!await once())
                {
                    throw new InvalidOperationException("a request failed; see above");
                }
            }
            return (ServerCpu.Seconds(pid) - from) * 1000 / count;
        }

        var formMs = await CpuMsPerAsync(async () =>
        {
            using var browser = new ConsoleBrowser(options.Url, NextAddress(), form);
            await browser.GetSignInTokenAsync(cancellationToken);
            return true;
        });
        var landingMs = await CpuMsPerAsync(async () => await signedIn.GetAsync(location, cancellationToken) == HttpStatusCode.OK);
        var signInMs = await CpuMsPerAsync(() => ThroughputScenario.SignInAsync(options, NextAddress(),
            new ThroughputScenario.LoadUser(options.User, options.Password, null), totp: false, cancellationToken));
        // A wrong password for a name that is no account: the same hash (the equivalent dummy), no session.
        var unknownMs = await CpuMsPerAsync(async () =>
        {
            using var browser = new ConsoleBrowser(options.Url, NextAddress(), form);
            var formToken = await browser.GetSignInTokenAsync(cancellationToken);
            var (answer, _) = await browser.PostSignInAsync(formToken, "no-such-user-" + address, "not the password " + address, cancellationToken);
            return answer == HttpStatusCode.OK;
        }) - formMs;
        var postMs = signInMs - formMs - landingMs;
        var hashMs = double.Parse(options.Text("hash-ms", "0"), CultureInfo.InvariantCulture);

        var split = hashMs > 0 ? string.Create(CultureInfo.InvariantCulture, $" of which the hash {hashMs:F1} ms and the rest {postMs - hashMs:F1} ms") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server CPU per request, {count} each, one at a time: form {formMs:F1} ms, landing page ({location}) {landingMs:F1} ms, full sign-in {signInMs:F1} ms, so the POST {postMs:F1} ms{split}; a POST for an unknown name {unknownMs:F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT cost form_ms={formMs:F1} landing_ms={landingMs:F1} signin_ms={signInMs:F1} post_ms={postMs:F1} post_rest_ms={(hashMs > 0 ? postMs - hashMs : 0):F1} unknown_post_ms={unknownMs:F1}"));
        return 0;
    }
}
