using Gatehouse.Fuzz;
using SharpFuzz;

// Usage: Gatehouse.Fuzz <target>               run under libFuzzer (libfuzzer-dotnet starts this process)
//        Gatehouse.Fuzz <target> <file|dir>... run each input once, to reproduce a crash without libFuzzer
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: Gatehouse.Fuzz <{string.Join('|', FuzzTargets.Names)}> [input files or folders]");
    return 2;
}

var target = args[0];
if (args.Length == 1)
{
    Fuzzer.LibFuzzer.Run(input => FuzzTargets.Run(target, input));
    return 0;
}

foreach (var path in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p) : [p]))
{
    Console.WriteLine(path);
    FuzzTargets.Run(target, File.ReadAllBytes(path));
}

return 0;
