using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Gatehouse.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
BenchmarkSwitcher.FromAssembly(typeof(Gatehouse.Benchmarks.GovernanceBenchmarks).Assembly).Run(args);
