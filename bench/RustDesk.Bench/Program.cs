using BenchmarkDotNet.Running;
using RustDesk.Bench;

// Measures the costs that security settings trade against: `dotnet run -c Release --project bench/RustDesk.Bench`
// (BenchmarkDotNet; `-- --filter '*SecondFactor*' --job short`). Results are read by people (docs/performance.md,
// docs/security.md), never asserted by tests. `seed` prepares a data folder for the load tool (scripts/bench.sh);
// `scale` seeds 100,000 users and 1,000,000 audit rows and measures the queries on them.
return args.FirstOrDefault() switch
{
    "seed" => await ConsoleSeeder.RunAsync(args[1..]),
    "scale" => await ScaleBenchmark.RunAsync(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
