using System.Globalization;

namespace Gatehouse.Bench.RateClient;

/// <summary>What to send, how fast and for how long; parsed from the command line.</summary>
internal sealed class RateOptions
{
    /// <summary>The usage text printed on a bad command line.</summary>
    public const string Usage =
        "usage: RateClient --url URL --body-file FILE [--rate 2000] [--duration 20] [--warmup 5] " +
        "[--header 'Name: value']... [--expect TEXT] [--timeout 10] [--prime 500] [--connections 128]";

    /// <summary>Where every request is POSTed.</summary>
    public required Uri Url { get; init; }

    /// <summary>The request body (sent as application/json).</summary>
    public required byte[] Body { get; init; }

    /// <summary>Requests started per second, on a fixed schedule.</summary>
    public int Rate { get; init; } = 2000;

    /// <summary>Seconds of measured load.</summary>
    public int DurationSeconds { get; init; } = 20;

    /// <summary>Seconds of load at the same rate before measuring (not recorded).</summary>
    public int WarmupSeconds { get; init; } = 5;

    /// <summary>Extra request headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Text every answer body must contain to count as a success (empty: any 2xx answer counts).</summary>
    public byte[] Expect { get; init; } = [];

    /// <summary>Requests sent one at a time before the schedule starts (not recorded).</summary>
    public int PrimeCount { get; init; } = 500;

    /// <summary>
    /// Worker threads, each with one keep-alive connection; the schedule is dealt to them round robin, so a worker
    /// sends every <c>Connections / Rate</c> seconds and an answer slower than that delays its next request (a delay
    /// that counts in that request's latency, measured from its scheduled start).
    /// </summary>
    public int Connections { get; init; } = 128;

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Parses the command line; returns null and an error message when it is not usable.</summary>
    public static RateOptions? Parse(string[] args, out string? error)
    {
        error = null;
        Uri? url = null;
        string? bodyFile = null;
        int rate = 2000, duration = 20, warmup = 5, timeout = 10, prime = 500, connections = 128;
        var headers = new List<KeyValuePair<string, string>>();
        var expect = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            switch (args[i])
            {
                case "--url": url = new Uri(value); break;
                case "--body-file": bodyFile = value; break;
                case "--rate": rate = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--timeout": timeout = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--prime": prime = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--expect": expect = value; break;
                case "--header":
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        error = $"--header '{value}' is not 'Name: value'";
                        return null;
                    }

                    headers.Add(new(value[..colon].Trim(), value[(colon + 1)..].Trim()));
                    break;
                default:
                    error = $"unknown option {args[i]}";
                    return null;
            }

            i++;
        }

        if (url is null || bodyFile is null || rate <= 0 || duration <= 0 || warmup < 0 || timeout <= 0 || prime < 0 || connections <= 0)
        {
            error = "--url and --body-file are required; --rate, --duration, --timeout and --connections must be positive";
            return null;
        }

        return new RateOptions
        {
            Url = url,
            Body = File.ReadAllBytes(bodyFile),
            Rate = rate,
            DurationSeconds = duration,
            WarmupSeconds = warmup,
            Headers = headers,
            Expect = System.Text.Encoding.UTF8.GetBytes(expect),
            Timeout = TimeSpan.FromSeconds(timeout),
            PrimeCount = prime,
            Connections = connections,
        };
    }
}
