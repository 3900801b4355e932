using System.Net;
using Gatehouse.Bench.RateClient;

// Open-loop constant-rate load generator: see OpenLoopRunner. Prints one line of key=value pairs on stdout.
var options = RateOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"{error}\n{RateOptions.Usage}");
    return 2;
}

using var handler = new SocketsHttpHandler
{
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    ConnectTimeout = TimeSpan.FromSeconds(5),
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    MaxConnectionsPerServer = options.Connections,
};
using var client = new HttpClient(handler) { Timeout = options.Timeout };

var runner = new OpenLoopRunner(options, client);
await runner.PrimeAsync(options.PrimeCount);
var result = runner.Run();
Console.WriteLine(result.ToKeyValues());
if (result.FirstFailure is not null)
{
    await Console.Error.WriteLineAsync($"first failure: {result.FirstFailure}");
}

return 0;
