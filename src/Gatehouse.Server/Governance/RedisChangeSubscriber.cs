using Gatehouse.Storage.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Reloads the governance directory when any replica announces a change on the Redis changes channel. The Redis
/// client resubscribes by itself after a reconnect; the version poll covers what is missed meanwhile.
/// </summary>
public sealed partial class RedisChangeSubscriber : BackgroundService
{
    private readonly RedisConnection _redis;
    private readonly GovernanceState _state;
    private readonly ILogger<RedisChangeSubscriber> _logger;

    /// <summary>Creates the subscriber.</summary>
    public RedisChangeSubscriber(RedisConnection redis, GovernanceState state, ILogger<RedisChangeSubscriber> logger)
    {
        _redis = redis;
        _state = state;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = RedisChannel.Literal(_redis.Keys.Changes);
        var subscriber = _redis.Multiplexer.GetSubscriber();
        try
        {
            await subscriber.SubscribeAsync(channel, (_, _) => _ = _state.TryRefreshAsync(stoppingToken));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down at start: keep asking until the subscription is registered.
            LogSubscribeFailed(_logger, ex);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                try
                {
                    await subscriber.SubscribeAsync(channel, (_, _) => _ = _state.TryRefreshAsync(stoppingToken));
                    break;
                }
                catch (Exception retry) when (retry is RedisException or TimeoutException)
                {
                    // still down
                }
            }
        }

        // The subscription lives with the connection (disposed at shutdown).
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to governance changes on Redis; retrying (changes still arrive through the store).")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
