using System.Globalization;
using System.Text;
using System.Text.Json;
using Gatehouse.Governance.Budgets;
using Gatehouse.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Governance;

/// <summary>
/// Soft budget thresholds: each crossing is logged, counted in metrics and, when a webhook is configured, POSTed as
/// JSON from the background (never on the request path).
/// </summary>
public sealed partial class BudgetAlerts
{
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<BudgetAlerts> _logger;
    private readonly Uri? _webhook;
    private readonly WebhookSender _sender;
    private readonly TimeProvider _time;

    /// <summary>Creates the alerter; <paramref name="webhook"/> may be null.</summary>
    public BudgetAlerts(GatewayMetrics metrics, ILogger<BudgetAlerts> logger, TimeProvider time, WebhookSender sender, string? webhook)
    {
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _sender = sender;
        _webhook = webhook is null ? null : new Uri(webhook);
    }

    /// <summary>Reports a crossing.</summary>
    public void Raise(BudgetAlert alert)
    {
        _metrics.BudgetAlert(BudgetWindow.Name(alert.Budget.Period));
        LogCrossed(_logger, alert.Budget.Id, alert.Budget.Scope, (int)(alert.Threshold * 100), BudgetLimit.ToUsd(alert.SpentNanoUsd), alert.SpentTokens);
        if (_webhook is not null)
        {
            _sender.Post(_webhook, Payload(alert, _time.GetUtcNow()));
        }
    }

    private static string Payload(BudgetAlert alert, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", "budget.threshold_crossed");
            json.WriteString("budget_id", alert.Budget.Id);
            json.WriteString("scope", alert.Budget.Scope);
            json.WriteString("period", BudgetWindow.Name(alert.Budget.Period));
            json.WriteNumber("threshold", alert.Threshold);
            json.WriteString("spent_usd", BudgetLimit.ToUsd(alert.SpentNanoUsd).ToString(CultureInfo.InvariantCulture));
            json.WriteNumber("spent_tokens", alert.SpentTokens);
            if (alert.Budget.MaxNanoUsd is { } max)
            {
                json.WriteString("max_usd", BudgetLimit.ToUsd(max).ToString(CultureInfo.InvariantCulture));
            }

            if (alert.Budget.MaxTokens is { } tokens)
            {
                json.WriteNumber("max_tokens", tokens);
            }

            json.WriteString("time", now);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget {BudgetId} of {Scope} crossed {Percent}% (spent ${SpentUsd}, {SpentTokens} tokens).")]
    private static partial void LogCrossed(ILogger logger, string budgetId, string scope, int percent, decimal spentUsd, long spentTokens);
}
