using BenchmarkDotNet.Running;

// Measures the costs that security settings trade against: `dotnet run -c Release --project bench/RustDesk.Bench`.
// Results are read by people (docs/security.md), never asserted by tests.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
