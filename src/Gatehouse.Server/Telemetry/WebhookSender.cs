using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Telemetry;

/// <summary>
/// POSTs JSON notifications (budget alerts, anomalies) from the background, never on the request path: a bounded
/// queue that drops the oldest when a receiver is down, a 10 s timeout per call, failures logged.
/// </summary>
public sealed partial class WebhookSender : BackgroundService
{
    private readonly Channel<(Uri Url, string Json)> _channel = Channel.CreateBounded<(Uri, string)>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ILogger<WebhookSender> _logger;

    /// <summary>Creates the sender.</summary>
    public WebhookSender(ILogger<WebhookSender> logger) => _logger = logger;

    /// <summary>Queues a POST of <paramref name="json"/> to <paramref name="url"/>.</summary>
    public void Post(Uri url, string json) => _channel.Writer.TryWrite((url, json));

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (url, json) in _channel.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    using var content = new StringContent(json, Encoding.UTF8, "application/json");
                    using var response = await _http.PostAsync(url, content, stoppingToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        LogFailed(_logger, url.Host, (int)response.StatusCode, null);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    LogFailed(_logger, url.Host, 0, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (also when start-up failed and the host is disposed without a stop).
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook to {Host} failed (status {Status}).")]
    private static partial void LogFailed(ILogger logger, string host, int status, Exception? exception);
}
