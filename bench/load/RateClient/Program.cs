using Gatehouse.Bench.RateClient;

// Open-loop constant-rate load generator: see OpenLoopRunner. Prints one line of key=value pairs on stdout.
var options = RateOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"{error}\n{RateOptions.Usage}");
    return 2;
}

var result = new OpenLoopRunner(options).Run();
Console.WriteLine(result.ToKeyValues());
if (result.FirstFailure is not null)
{
    await Console.Error.WriteLineAsync($"first failure: {result.FirstFailure}");
}

return 0;
