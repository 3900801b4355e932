using System.Globalization;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- latency [ITERATIONS]   (p99 of the inspection stage)
if (args.Length > 0 && args[0] == "latency")
{
    await Gatehouse.Benchmarks.InspectionLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
    return;
}

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- stages [ITERATIONS]    (the injection detector's steps)
if (args.Length > 0 && args[0] == "stages")
{
    Gatehouse.Benchmarks.InspectionStages.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Gatehouse.Benchmarks.GovernanceBenchmarks).Assembly).Run(args);
