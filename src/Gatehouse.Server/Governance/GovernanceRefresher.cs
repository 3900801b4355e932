using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Polls the store's change version so changes made by another process (the CLI, another replica) reach this one
/// within the poll interval (default 500 ms): a revoked key stops working everywhere within a second.
/// </summary>
public sealed partial class GovernanceRefresher : BackgroundService
{
    private readonly GovernanceState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<GovernanceRefresher> _logger;
    private readonly TimeSpan _interval;

    /// <summary>Creates the refresher.</summary>
    public GovernanceRefresher(GovernanceState state, TimeProvider time, ILogger<GovernanceRefresher> logger, TimeSpan? interval = null)
    {
        _state = state;
        _time = time;
        _logger = logger;
        _interval = interval ?? TimeSpan.FromMilliseconds(500);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await _state.RefreshAsync(force: false, stoppingToken);
                    if (failing)
                    {
                        LogRecovered(_logger);
                        failing = false;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Keep serving from the last good copy; say so once, not every tick.
                    if (!failing)
                    {
                        LogRefreshFailed(_logger, ex);
                        failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (also when start-up failed and the host is disposed without a stop).
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Governance store unreachable; serving keys, limits and budgets from the last loaded copy.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Governance store reachable again.")]
    private static partial void LogRecovered(ILogger logger);
}
