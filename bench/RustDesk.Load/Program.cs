using RustDesk.Load;
using RustDesk.Load.Scenarios;

// RustDesk.Load <scenario> [--option value ...]: drives a running console over HTTP. See scripts/bench.sh and
// docs/performance.md. Each scenario is one class in Scenarios/, registered here.
IScenario[] scenarios =
[
    new SignInScenario(),
    new FloodScenario(),
    new SignInUnderFloodScenario(),
    new ThroughputScenario(),
    new HashScenario(),
    new CircuitsScenario(),
    new QrScenario(),
    new RssScenario(),
    new CostScenario(),
];

if (args.Length == 0 || args[0] is "-h" or "--help" || scenarios.All(s => s.Name != args[0]))
{
    Console.Error.WriteLine("usage: RustDesk.Load <scenario> [--option value ...]");
    foreach (var scenario in scenarios)
    {
        Console.Error.WriteLine($"  {scenario.Name,-20} {scenario.Description}");
    }
    Console.Error.WriteLine("common options: " + LoadOptions.CommonHelp);
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var options = LoadOptions.Parse(args.Skip(1));
return await scenarios.Single(s => s.Name == args[0]).RunAsync(options, cancel.Token);
