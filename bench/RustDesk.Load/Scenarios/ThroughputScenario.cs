using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using OtpNet;

namespace RustDesk.Load.Scenarios;

/// <summary>
/// Sign-in throughput: <c>--clients</c> browsers, each signing in again and again (closed loop) for <c>--duration</c>
/// seconds after <c>--warmup</c> seconds. One sign-in = GET the form, POST the password, (with <c>--totp</c>: GET the
/// code form, POST the current TOTP code) and GET the landing page, in a fresh browser from its own client address.
/// Users come from <c>--users-file</c> (lines "name TAB base32 TOTP key", written by <c>RustDesk.Bench seed</c>) or
/// are the one <c>--user</c>. A TOTP user signs in at most once per 30-second step (the console refuses a replayed
/// step), so the file must hold more users than sign-ins per 30 s. <c>--app peer</c> drives the Identity template.
/// </summary>
public sealed class ThroughputScenario : IScenario
{
    public string Name => "throughput";

    public string Description => "sign-ins/s with --clients 8 for --duration 30 s (--warmup 5, --warmup-count 0, --pid, --totp, --users-file, --app console|peer)";

    public async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var clients = options.Number("clients", 8);
        var totp = options.Text("totp", "false") == "true";
        var users = LoadUsers(options);
        var pool = new UserPool(users);
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var counter = 0;
        var measuring = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var warmup = TimeSpan.FromSeconds(options.Number("warmup", 5));
        var duration = TimeSpan.FromSeconds(options.Number("duration", 30));
        var clock = Stopwatch.StartNew();
        var measured = TimeSpan.Zero;

        async Task ClientAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref counter);
                var user = totp ? await pool.TakeAsync(stop.Token) : users[n % users.Count];
                if (user is null)
                {
                    return;
                }
                var counted = Volatile.Read(ref measuring);
                var started = Stopwatch.GetTimestamp();
                var ok = await SignInAsync(options, SignInScenario.ClientAddress(options, n), user, totp, stop.Token);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!counted || !Volatile.Read(ref measuring))
                {
                    continue;
                }
                if (ok)
                {
                    latencies.Add(elapsed);
                }
                else if (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        var running = Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, CancellationToken.None)).ToList();
        await Task.Delay(warmup, cancellationToken);
        // And at least --warmup-count sign-ins: on a starved machine a few seconds do not get the server past its
        // first JIT compilations and EF Core query compilations, whose CPU would be counted against the sign-ins.
        var warmupCount = options.Number("warmup-count", 0);
        while (Volatile.Read(ref counter) < warmupCount + clients && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(200, cancellationToken);
        }
        var pid = options.Number("pid", 0);
        Volatile.Write(ref measuring, true);
        var from = clock.Elapsed;
        var cpuFrom = pid > 0 ? ServerCpu.Seconds(pid) : 0;
        await Task.Delay(duration, cancellationToken);
        Volatile.Write(ref measuring, false);
        measured = clock.Elapsed - from;
        var cpu = pid > 0 ? ServerCpu.Seconds(pid) - cpuFrom : 0;
        await stop.CancelAsync();
        await Task.WhenAll(running);

        var stats = new LatencyStats([.. latencies], failures);
        var perSecond = stats.Count / measured.TotalSeconds;
        Console.WriteLine(stats.Summary($"throughput ({clients} clients{(totp ? ", password + TOTP" : "")})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sign-ins/s: {perSecond:F2} ({stats.Count} in {measured.TotalSeconds:F1} s)"));
        // CPU the server used per sign-in (its user + system time over the window ÷ sign-ins completed in it): unlike the
        // rate, this does not depend on how much of the machine other processes took.
        var cpuPerSignIn = stats.Count > 0 ? cpu * 1000 / stats.Count : 0;
        if (pid > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server CPU: {cpu:F1} s in {measured.TotalSeconds:F1} s ({cpu / measured.TotalSeconds:F2} cores), {cpuPerSignIn:F0} ms per sign-in"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT throughput clients={clients} totp={totp} persec={perSecond:F2} p50={stats.Percentile(50):F0} p95={stats.Percentile(95):F0} p99={stats.Percentile(99):F0} n={stats.Count} failed={failures} cpu_ms={cpuPerSignIn:F0} cores={cpu / measured.TotalSeconds:F2}"));
        return 0;
    }

    private static List<LoadUser> LoadUsers(LoadOptions options)
    {
        var file = options.Text("users-file", "");
        if (file.Length == 0)
        {
            return [new LoadUser(options.User, options.Password, null)];
        }
        return File.ReadLines(file).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(p => new LoadUser(p[0], p.Length > 2 ? p[2] : options.Password, p.Length > 1 && p[1].Length > 0 ? Base32Encoding.ToBytes(p[1]) : null))
            .ToList();
    }

    /// <summary>One full sign-in in a fresh browser; true when it ended on a page (200) that is not a sign-in form.</summary>
    public static async Task<bool> SignInAsync(LoadOptions options, string clientAddress, LoadUser user, bool totp, CancellationToken cancellationToken)
    {
        var form = SignInForm.For(options);
        try
        {
            using var browser = new ConsoleBrowser(options.Url, clientAddress, form);
            var token = await browser.GetSignInTokenAsync(cancellationToken);
            var (status, location) = await browser.PostSignInAsync(token, user.Name, user.Password, cancellationToken);
            if (status != HttpStatusCode.Redirect || location is null || location.OriginalString.Contains("/login?", StringComparison.OrdinalIgnoreCase)
                || location.OriginalString.EndsWith("/login", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"password step answered {(int)status} {location}");
                return false;
            }
            if (totp)
            {
                if (user.TotpKey is null || !location.OriginalString.Contains("login/2fa", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"expected the TOTP step, got {location}");
                    return false;
                }
                var codeToken = await browser.GetFormTokenAsync(location.OriginalString.TrimStart('/'), cancellationToken);
                var code = new Totp(user.TotpKey).ComputeTotp(DateTime.UtcNow);
                (status, location) = await browser.PostFormAsync("account/login/2fa", codeToken, new Dictionary<string, string>
                {
                    ["_handler"] = "login-2fa",
                    ["Input.Code"] = code,
                    ["Input.RememberMe"] = "false",
                }, cancellationToken);
                if (status != HttpStatusCode.Redirect || location is null || location.OriginalString.Contains("/account/login", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"TOTP step answered {(int)status} {location}");
                    return false;
                }
            }
            return await browser.GetAsync(location, cancellationToken) == HttpStatusCode.OK;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            Console.Error.WriteLine("sign-in failed: " + e.Message);
            return false;
        }
    }

    public sealed record LoadUser(string Name, string Password, byte[]? TotpKey);

    /// <summary>Hands out TOTP users so that none signs in twice in one 30-second step (waits for the next step if all have).</summary>
    private sealed class UserPool(IReadOnlyList<LoadUser> users)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<LoadUser, long> _lastStep = [];
        private int _next;

        public async Task<LoadUser?> TakeAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // A margin of a few seconds before the step ends: the code must still be current when it arrives.
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var step = now / 30;
                if (now % 30 < 28)
                {
                    lock (_lock)
                    {
                        for (var i = 0; i < users.Count; i++)
                        {
                            var user = users[_next++ % users.Count];
                            if (_lastStep.GetValueOrDefault(user, -1) < step)
                            {
                                _lastStep[user] = step;
                                return user;
                            }
                        }
                    }
                }
                await Task.Delay(200, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            return null;
        }
    }
}
