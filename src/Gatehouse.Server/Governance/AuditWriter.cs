using System.Threading.Channels;
using Gatehouse.Governance.Audit;
using Gatehouse.Storage.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Moves audit entries off the hot path: requests enqueue, one writer chains and appends them in batches. Admin
/// changes await <see cref="AppendAsync"/>, which returns only once their record is durable. A batch that fails is
/// retried (with back-off) rather than dropped; the channel applies back-pressure instead of losing records.
/// </summary>
public sealed partial class AuditWriter : BackgroundService, IAuditAppender
{
    private const int BatchSize = 256;
    private readonly Channel<(AuditEntry Entry, TaskCompletionSource? Done)> _channel =
        Channel.CreateBounded<(AuditEntry, TaskCompletionSource?)>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IAuditStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditWriter> _logger;

    /// <summary>Creates the writer.</summary>
    public AuditWriter(IAuditStore store, TimeProvider time, ILogger<AuditWriter> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>The clock audit entries are stamped with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Queues an entry without waiting for disk (request-path denials and rejections).</summary>
    public void Enqueue(AuditEntry entry)
    {
        if (!_channel.Writer.TryWrite((entry, null)))
        {
            // Full: wait for room in the background rather than lose an audit record.
            _ = _channel.Writer.WriteAsync((entry, null)).AsTask();
        }
    }

    /// <summary>Appends an entry and returns once it is durable (admin changes).</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _channel.Writer.WriteAsync((entry, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes everything queued so far (used at shutdown and by tests).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _channel.Writer.WriteAsync((FlushMarker, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(AuditEntry Entry, TaskCompletionSource? Done)>(BatchSize);
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < BatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await WriteWithRetryAsync(batch, stoppingToken);
                batch.Clear();
                if (stoppingToken.IsCancellationRequested && !reader.TryPeek(out _))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down while a write kept failing; StopAsync drained what it could.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private static readonly AuditEntry FlushMarker = new() { Time = DateTimeOffset.UnixEpoch, Actor = "-", Action = "-", Target = "-", Outcome = "-" };

    private async Task WriteWithRetryAsync(List<(AuditEntry Entry, TaskCompletionSource? Done)> batch, CancellationToken stoppingToken)
    {
        var entries = new List<AuditEntry>(batch.Count);
        foreach (var (entry, _) in batch)
        {
            if (!ReferenceEquals(entry, FlushMarker))
            {
                entries.Add(entry);
            }
        }

        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.AppendAsync(entries, CancellationToken.None);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAppendFailed(_logger, entries.Count, attempt, ex);
                if (stoppingToken.IsCancellationRequested && attempt >= 3)
                {
                    foreach (var (_, done) in batch)
                    {
                        done?.TrySetException(ex);
                    }

                    return;
                }

                await Task.Delay(delay, _time, CancellationToken.None);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }

        foreach (var (_, done) in batch)
        {
            done?.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} audit records (attempt {Attempt}); retrying.")]
    private static partial void LogAppendFailed(ILogger logger, int count, int attempt, Exception exception);
}
