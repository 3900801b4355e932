using System.Diagnostics;
using System.Net;

namespace Gatehouse.Bench.RateClient;

/// <summary>
/// Starts request i at start + i / rate whatever happened to earlier requests (open loop), and measures each
/// latency from its scheduled start to the last byte of the answer, so a stall shows up in every request it
/// delays instead of silently lowering the rate (no coordinated omission). The schedule is dealt round robin to
/// <see cref="RateOptions.Connections"/> worker threads, each with its own keep-alive connection driven by blocking
/// calls (<see cref="RawHttpConnection"/>): a worker sleeps until its next slot, sends, and reads the answer. A worker
/// whose previous answer is late sends late, and that delay counts in the latency of the request it held up.
/// </summary>
internal sealed class OpenLoopRunner
{
    private readonly RateOptions _options;
    private readonly EndPoint _endPoint;
    private readonly byte[] _request;
    private readonly int _warmupCount;
    private readonly long[] _total;
    private readonly long[] _firstByte;
    private readonly long[] _sendLag;
    private long _failed;
    private long _warmupFailed;
    private long _unfinished;
    private string? _firstFailure;

    /// <summary>Creates a runner for the given options.</summary>
    public OpenLoopRunner(RateOptions options)
    {
        _options = options;
        var address = Dns.GetHostAddresses(options.Url.Host)[0];
        _endPoint = new IPEndPoint(address, options.Url.Port);
        _request = RawHttpConnection.BuildRequest(options);
        _warmupCount = options.Rate * options.WarmupSeconds;
        var measured = options.Rate * options.DurationSeconds;
        _total = new long[measured];
        _firstByte = new long[measured];
        _sendLag = new long[measured];
        Array.Fill(_total, -1);
        Array.Fill(_firstByte, -1);
        Array.Fill(_sendLag, -1);
    }

    /// <summary>Runs priming, the warm-up and the measured phase on the worker threads, and summarizes.</summary>
    public RunResult Run()
    {
        var workers = Math.Max(1, _options.Connections);
        var count = _warmupCount + _total.Length;
        var ticksPerRequest = Stopwatch.Frequency / (double)_options.Rate;
        long start = 0;
        using var ready = new Barrier(workers + 1);
        var threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            var first = w;
            threads[w] = new Thread(() => Work(first, workers, count, ticksPerRequest, ready, () => Volatile.Read(ref start)), 256 * 1024)
            {
                IsBackground = true,
                Name = $"rate worker {w}",
            };
            threads[w].Start();
        }

        // Every worker has primed its connection; the schedule starts 10 ms from now.
        ready.SignalAndWait();
        Volatile.Write(ref start, Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100));
        ready.SignalAndWait();
        var deadline = TimeSpan.FromSeconds(_options.WarmupSeconds + _options.DurationSeconds) + _options.Timeout + TimeSpan.FromSeconds(5);
        foreach (var thread in threads)
        {
            var left = deadline - TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - start) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency)));
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                Interlocked.Increment(ref _unfinished);
            }
        }

        var measuredStart = start + (long)(_warmupCount * ticksPerRequest);
        var measuredEnd = start + (long)((count - 1) * ticksPerRequest);
        var sendSeconds = (measuredEnd - measuredStart) / (double)Stopwatch.Frequency;
        return new RunResult
        {
            Sent = _total.Length,
            Failed = Interlocked.Read(ref _failed),
            WarmupFailed = Interlocked.Read(ref _warmupFailed),
            Unfinished = Interlocked.Read(ref _unfinished),
            FirstFailure = _firstFailure,
            SentPerSecond = sendSeconds > 0 ? (_total.Length - 1) / sendSeconds : double.NaN,
            Total = LatencySummary.FromTicks(_total),
            FirstByte = LatencySummary.FromTicks(_firstByte),
            SendLag = LatencySummary.FromTicks(_sendLag),
        };
    }

    private void Work(int first, int workers, int count, double ticksPerRequest, Barrier ready, Func<long> start)
    {
        PreciseSleep.ReduceTimerSlack();
        using var connection = new RawHttpConnection(_endPoint, _request, _options.Timeout);

        // Priming: the JIT compiles the send path and the connection opens before the schedule starts.
        var primes = (_options.PrimeCount + workers - 1) / workers;
        for (var i = 0; i < primes; i++)
        {
            SendOne(connection, int.MinValue, Stopwatch.GetTimestamp(), 0);
        }

        ready.SignalAndWait();
        ready.SignalAndWait();
        var origin = start();
        var free = origin;
        var timeoutTicks = (long)(_options.Timeout.TotalSeconds * Stopwatch.Frequency);
        for (var i = first; i < count; i += workers)
        {
            var scheduled = origin + (long)(i * ticksPerRequest);
            PreciseSleep.Until(scheduled);
            if (Stopwatch.GetTimestamp() - scheduled > timeoutTicks)
            {
                // The connection was busy for longer than the timeout past this slot: the server did not keep up.
                // Counted as failed without sending, so a stalled server ends the run on time instead of at
                // (slots per worker × timeout).
                Fail(i - _warmupCount, "not sent: the worker's previous answer took longer than the timeout past this slot");
                continue;
            }


            // The send lag is the client's own lateness: from when it could have sent (its slot, or the end of the
            // previous answer if that came later) to when it did. Waiting for a slow answer is the server's delay and
            // counts in the latency instead.
            var sent = Stopwatch.GetTimestamp();
            SendOne(connection, i - _warmupCount, scheduled, sent - Math.Max(scheduled, free));
            free = Stopwatch.GetTimestamp();
        }
    }

    private void SendOne(RawHttpConnection connection, int slot, long scheduled, long lag)
    {
        try
        {
            var outcome = connection.Exchange(_options.Expect);
            var doneAt = Stopwatch.GetTimestamp();
            if (outcome.Status is < 200 or > 299)
            {
                Fail(slot, $"HTTP {outcome.Status}");
            }
            else if (!outcome.ContainsExpected)
            {
                Fail(slot, "answer lacks the expected text");
            }
            else if (slot >= 0)
            {
                _total[slot] = doneAt - scheduled;
                _firstByte[slot] = outcome.HeadTimestamp - scheduled;
                _sendLag[slot] = lag;
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidDataException or FormatException or OverflowException)
        {
            connection.Reset();
            Fail(slot, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private void Fail(int slot, string reason)
    {
        Interlocked.Increment(ref slot >= 0 ? ref _failed : ref _warmupFailed);
        Interlocked.CompareExchange(ref _firstFailure, reason, null);
    }
}
