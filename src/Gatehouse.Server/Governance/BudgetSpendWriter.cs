using System.Threading.Channels;
using Gatehouse.Governance.Budgets;
using Gatehouse.Storage.Governance;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// The in-process budget counter's journal: settled spend leaves the hot path through a bounded channel and is added
/// to the store in batches, so spend survives a restart. Failed batches are retried.
/// </summary>
public sealed partial class BudgetSpendWriter : BackgroundService, IBudgetSpendJournal
{
    private readonly Channel<(string Account, long NanoUsd, long Tokens)> _channel =
        Channel.CreateBounded<(string, long, long)>(new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IGovernanceStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<BudgetSpendWriter> _logger;

    /// <summary>Creates the writer.</summary>
    public BudgetSpendWriter(IGovernanceStore store, TimeProvider time, ILogger<BudgetSpendWriter> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public void Record(string account, long nanoUsd, long tokens)
    {
        if (!_channel.Writer.TryWrite((account, nanoUsd, tokens)))
        {
            _ = _channel.Writer.WriteAsync((account, nanoUsd, tokens)).AsTask();
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var merged = new Dictionary<string, (long NanoUsd, long Tokens)>(StringComparer.Ordinal);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (merged.Count < 1_000 && reader.TryRead(out var item))
            {
                merged[item.Account] = merged.TryGetValue(item.Account, out var sum) ? (sum.NanoUsd + item.NanoUsd, sum.Tokens + item.Tokens) : (item.NanoUsd, item.Tokens);
            }

            var batch = merged.Select(p => (p.Key, p.Value.NanoUsd, p.Value.Tokens)).ToList();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _store.AddSpendAsync(batch, CancellationToken.None);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && attempt < 20)
                {
                    LogWriteFailed(_logger, attempt, ex);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _time, CancellationToken.None);
                }
            }

            merged.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record budget spend (attempt {Attempt}); retrying.")]
    private static partial void LogWriteFailed(ILogger logger, int attempt, Exception exception);
}
