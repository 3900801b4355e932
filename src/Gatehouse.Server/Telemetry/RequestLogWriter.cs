using System.Threading.Channels;
using Gatehouse.Server.Hosting;
using Gatehouse.Storage.RequestLogs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Telemetry;

/// <summary>
/// Takes request log records off the hot path: requests only enqueue into a bounded channel; a background loop
/// writes them to the store in batches. When the channel is full, records are dropped and counted, never blocking a request.
/// </summary>
public sealed partial class RequestLogWriter : BackgroundService
{
    private const int Capacity = 20_000;
    private const int MaxBatch = 500;

    /// <summary>
    /// How long the writer lets records gather after the first one arrives: under load a batch then holds many records
    /// (one transaction, a few page writes) instead of one or two. Real time on purpose: it bounds how stale the log
    /// can be, and <see cref="FlushAsync"/> cuts it short.
    /// </summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(25);

    private readonly Channel<RequestLogRecord> _channel = Channel.CreateBounded<RequestLogRecord>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly IRequestLogStore _store;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<RequestLogWriter> _logger;
    private long _pending;
    private TaskCompletionSource _hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the writer.</summary>
    public RequestLogWriter(IRequestLogStore store, GatewayMetrics metrics, ILogger<RequestLogWriter> logger)
    {
        _store = store;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Records waiting to be written.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Enqueues a record; never blocks.</summary>
    public void Enqueue(RequestLogRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _pending);
        }
        else
        {
            _metrics.RequestLogDropped();
        }
    }

    /// <summary>Waits until every record enqueued so far is written (for tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Pending > 0)
        {
            Volatile.Read(ref _hurry).TrySetResult();
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let the loop drain what was already accepted before the host stops.
        _channel.Writer.TryComplete();
        Volatile.Read(ref _hurry).TrySetResult();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The loop runs on its own thread at a lower OS priority (<see cref="BackgroundThread"/>): a batch takes a
    /// millisecond or two of SQLite work, and on the thread pool it held up every request that arrived meanwhile on the
    /// same core. The store calls are synchronous for SQLite; for PostgreSQL the thread waits for them.
    /// </remarks>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => BackgroundThread.Start("request log writer", WriteLoop);

    private void WriteLoop()
    {
        var batch = new List<RequestLogRecord>(MaxBatch);
        var reader = _channel.Reader;
        while (reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            WaitForMore(reader);
            while (batch.Count < MaxBatch && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                _store.WriteBatchAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogWriteFailed(_logger, ex, batch.Count);
            }

            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
        }
    }

    private void WaitForMore(ChannelReader<RequestLogRecord> reader)
    {
        var hurry = Volatile.Read(ref _hurry);
        if (hurry.Task.IsCompleted)
        {
            // A flush or stop asked for speed once; the next batch may linger again.
            Interlocked.Exchange(ref _hurry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            return;
        }

        if (reader.Count < MaxBatch && !reader.Completion.IsCompleted)
        {
            _ = hurry.Task.Wait(Linger);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} request log records failed; they are lost.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
