using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Config;
using Gatehouse.Server.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Runtime;

/// <summary>
/// Active health checks: for every virtual model with <c>health_check</c>, sends each target a one-token chat request
/// at the configured interval and feeds the result into the target's <see cref="TargetHealth"/>. Unhealthy targets
/// are skipped by routing until they pass again. Runs on the injected clock; the current snapshot decides what is checked.
/// </summary>
public sealed partial class HealthChecker : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly SnapshotHolder _snapshots;
    private readonly TargetStates _states;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthChecker> _logger;
    private readonly Dictionary<string, long> _due = new(StringComparer.Ordinal);

    /// <summary>Creates the checker.</summary>
    public HealthChecker(SnapshotHolder snapshots, TargetStates states, TimeProvider time, ILogger<HealthChecker> logger)
    {
        _snapshots = snapshots;
        _states = states;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Checks every target whose interval has passed, in parallel, and waits for the checks.</summary>
    public async Task CheckDueAsync(CancellationToken cancel)
    {
        var snapshot = _snapshots.Current;
        var now = _time.GetTimestamp();
        var checks = new List<Task>();
        foreach (var group in snapshot.Config.Models)
        {
            if (group.HealthCheck is not { } config || snapshot.Resolve(group.Name).Targets is not { } targets)
            {
                continue;
            }

            foreach (var target in targets)
            {
                if (_due.TryGetValue(target.Name, out var due) && now < due)
                {
                    continue;
                }

                _due[target.Name] = now + (long)(config.Interval.TotalSeconds * _time.TimestampFrequency);
                checks.Add(CheckAsync(target, config, cancel));
            }
        }

        await Task.WhenAll(checks);
    }

    private async Task CheckAsync(RouteTarget target, HealthCheckConfig config, CancellationToken cancel)
    {
        var request = new ChatRequest
        {
            Model = target.Model,
            Messages = [new ChatMessage(Role.User, [new TextPart("ping")])],
            MaxTokens = 1,
        };
        string? error = null;
        try
        {
            using var message = target.Provider.Adapter.BuildChatRequest(request, target.Model, null);
            using var cancellation = new AttemptCancellation(config.Timeout, config.Timeout, _time, cancel);
            var (response, sendError) = await UpstreamSender.SendAsync(target, message, cancellation);
            if (response is null)
            {
                error = sendError!.Code;
            }
            else
            {
                using (response)
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        error = (await UpstreamSender.ReadErrorAsync(target, response, cancellation)).Code ?? $"http_{(int)response.StatusCode}";
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }

        var health = _states.For(target).Health;
        if (health.Record(error is null, error, config.UnhealthyAfter, config.HealthyAfter, _time.GetUtcNow()))
        {
            if (health.Healthy)
            {
                LogHealthy(_logger, target.Name);
            }
            else
            {
                LogUnhealthy(_logger, target.Name, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} failed its health checks ({Error}); routing skips it until it passes again")]
    private static partial void LogUnhealthy(ILogger logger, string target, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} passes its health checks again")]
    private static partial void LogHealthy(ILogger logger, string target);
}
