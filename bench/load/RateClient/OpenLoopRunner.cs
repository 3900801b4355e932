using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Gatehouse.Bench.RateClient;

/// <summary>
/// Starts request i at start + i / rate whatever happened to earlier requests (open loop), and measures each
/// latency from its scheduled start to the last byte of the answer, so a stall shows up in every request it
/// delays instead of silently lowering the rate (no coordinated omission).
/// </summary>
internal sealed class OpenLoopRunner
{
    private const int BodyBufferBytes = 16 * 1024;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly RateOptions _options;
    private readonly HttpClient _client;
    private readonly int _warmupCount;
    private readonly long[] _total;
    private readonly long[] _firstByte;
    private readonly long[] _sendLag;
    private long _inFlight;
    private long _failed;
    private long _warmupFailed;
    private string? _firstFailure;

    /// <summary>Creates a runner for the given options over the given client.</summary>
    public OpenLoopRunner(RateOptions options, HttpClient client)
    {
        _options = options;
        _client = client;
        _warmupCount = options.Rate * options.WarmupSeconds;
        var measured = options.Rate * options.DurationSeconds;
        _total = new long[measured];
        _firstByte = new long[measured];
        _sendLag = new long[measured];
        Array.Fill(_total, -1);
        Array.Fill(_firstByte, -1);
        Array.Fill(_sendLag, -1);
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests one after another (not recorded), so that the JIT has compiled the
    /// send path and a connection is open before the schedule starts; without it the first scheduled requests
    /// pile up behind compilation and open hundreds of connections at once.
    /// </summary>
    public async Task PrimeAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Interlocked.Increment(ref _inFlight);
            var now = Stopwatch.GetTimestamp();
            await SendOneAsync(int.MinValue, now, now);
        }
    }

    /// <summary>Runs the warm-up and the measured phase, waits for the stragglers, and summarizes.</summary>
    public RunResult Run()
    {
        long measuredStart = 0, measuredEnd = 0;
        var sender = new Thread(() => SendAll(out measuredStart, out measuredEnd))
        {
            IsBackground = true,
            Name = "open-loop sender",
            Priority = ThreadPriority.Highest,
        };
        sender.Start();
        sender.Join();

        var drainDeadline = Stopwatch.GetTimestamp() + (long)((_options.Timeout.TotalSeconds + 1) * Stopwatch.Frequency);
        while (Interlocked.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < drainDeadline)
        {
            Thread.Sleep(5);
        }

        var sendSeconds = (measuredEnd - measuredStart) / (double)Stopwatch.Frequency;
        return new RunResult
        {
            Sent = _total.Length,
            Failed = Interlocked.Read(ref _failed),
            WarmupFailed = Interlocked.Read(ref _warmupFailed),
            Unfinished = Interlocked.Read(ref _inFlight),
            FirstFailure = _firstFailure,
            SentPerSecond = sendSeconds > 0 ? (_total.Length - 1) / sendSeconds : double.NaN,
            Total = LatencySummary.FromTicks(_total),
            FirstByte = LatencySummary.FromTicks(_firstByte),
            SendLag = LatencySummary.FromTicks(_sendLag),
        };
    }

    private void SendAll(out long measuredStart, out long measuredEnd)
    {
        PreciseSleep.ReduceTimerSlack();
        var ticksPerRequest = Stopwatch.Frequency / (double)_options.Rate;
        var count = _warmupCount + _total.Length;
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        measuredStart = measuredEnd = start;
        for (var i = 0; i < count; i++)
        {
            var scheduled = start + (long)(i * ticksPerRequest);
            PreciseSleep.Until(scheduled);
            var sent = Stopwatch.GetTimestamp();
            if (i == _warmupCount)
            {
                measuredStart = sent;
            }

            measuredEnd = sent;
            Interlocked.Increment(ref _inFlight);
            _ = SendOneAsync(i - _warmupCount, scheduled, sent);
        }
    }

    private async Task SendOneAsync(int slot, long scheduled, long sent)
    {
        byte[]? buffer = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(_options.Body) { Headers = { ContentType = JsonType } },
            };
            foreach (var (name, value) in _options.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var headersAt = Stopwatch.GetTimestamp();

            // Rented only once the answer has started: requests still waiting for a connection hold no buffer.
            buffer = ArrayPool<byte>.Shared.Rent(BodyBufferBytes);
            await using var body = await response.Content.ReadAsStreamAsync();
            var length = 0;
            var overflow = false;
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(overflow ? 0 : length));
                if (read == 0)
                {
                    break;
                }

                length += read;
                overflow |= length == buffer.Length;
            }

            var doneAt = Stopwatch.GetTimestamp();
            if (!response.IsSuccessStatusCode)
            {
                Fail(slot, $"HTTP {(int)response.StatusCode}");
            }
            else if (!overflow && _options.Expect.Length > 0 && buffer.AsSpan(0, length).IndexOf(_options.Expect) < 0)
            {
                Fail(slot, "answer lacks the expected text");
            }
            else if (slot >= 0)
            {
                _total[slot] = doneAt - scheduled;
                _firstByte[slot] = headersAt - scheduled;
                _sendLag[slot] = sent - scheduled;
            }
        }
        catch (Exception ex)
        {
            Fail(slot, $"{ex.GetType().Name}: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : string.Empty)}");
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Fail(int slot, string reason)
    {
        Interlocked.Increment(ref slot >= 0 ? ref _failed : ref _warmupFailed);
        Interlocked.CompareExchange(ref _firstFailure, reason, null);
    }
}
