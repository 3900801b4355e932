using System.Globalization;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- latency [ITERATIONS]   (p99 of the inspection stage)
if (args.Length > 0 && args[0] == "latency")
{
    await Gatehouse.Benchmarks.InspectionLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
    return;
}

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- stages [ITERATIONS] [QUANTILE]   (the injection detector's steps, inspect-in's parts)
if (args.Length > 0 && args[0] == "stages")
{
    await Gatehouse.Benchmarks.InspectionStages.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000, args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.5);
    return;
}

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- pii [PASSES] [--dump FILE]   (PII per kind of text)
if (args.Length > 0 && args[0] == "pii")
{
    var dump = Array.IndexOf(args, "--dump") is > 0 and var at && at + 1 < args.Length ? args[at + 1] : null;
    Gatehouse.Benchmarks.PiiThroughput.Run(args.Length > 1 && args[1] != "--dump" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10, dump);
    return;
}

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- secrets [PASSES] [--dump FILE] [--rules]   (secrets per kind of text)
if (args.Length > 0 && args[0] == "secrets")
{
    var dump = Array.IndexOf(args, "--dump") is > 0 and var at && at + 1 < args.Length ? args[at + 1] : null;
    var passes = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var n) ? n : 10;
    Gatehouse.Benchmarks.SecretsThroughput.Run(passes, dump, args.Contains("--rules"));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Gatehouse.Benchmarks.GovernanceBenchmarks).Assembly).Run(args);
