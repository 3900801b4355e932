using System.Text;
using Gatehouse.Server.Runtime;

namespace Gatehouse.Server.Telemetry;

/// <summary>Per-target routing series, read from the live target states at scrape time: attempts, failures, breaker, health.</summary>
public static class TargetMetrics
{
    /// <summary>Renders the series in the Prometheus text format.</summary>
    public static string Render(TargetStates states)
    {
        var targets = states.All.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var o = new StringBuilder(256 + (targets.Count * 400));
        GatewayMetrics.Header(o, "gatehouse_target_attempts_total", "counter", "Upstream attempts, by target.");
        foreach (var (name, state) in targets)
        {
            o.Append("gatehouse_target_attempts_total{").Append(GatewayMetrics.Labels(("target", name))).Append("} ").Append(state.Stats.Attempts).Append('\n');
        }

        GatewayMetrics.Header(o, "gatehouse_target_failures_total", "counter", "Upstream attempts that failed against the target (connect, timeout, 429, 5xx), by target.");
        foreach (var (name, state) in targets)
        {
            o.Append("gatehouse_target_failures_total{").Append(GatewayMetrics.Labels(("target", name))).Append("} ").Append(state.Stats.Failures).Append('\n');
        }

        GatewayMetrics.Header(o, "gatehouse_target_in_flight", "gauge", "Upstream attempts under way, by target.");
        foreach (var (name, state) in targets)
        {
            o.Append("gatehouse_target_in_flight{").Append(GatewayMetrics.Labels(("target", name))).Append("} ").Append(state.Stats.InFlight).Append('\n');
        }

        GatewayMetrics.Header(o, "gatehouse_target_breaker_state", "gauge", "Circuit breaker state by target: 0 closed, 1 half-open, 2 open.");
        foreach (var (name, state) in targets)
        {
            var value = state.Breaker.State switch { "open" => 2, "half-open" => 1, _ => 0 };
            o.Append("gatehouse_target_breaker_state{").Append(GatewayMetrics.Labels(("target", name))).Append("} ").Append(value).Append('\n');
        }

        GatewayMetrics.Header(o, "gatehouse_target_breaker_openings_total", "counter", "Times the target's circuit breaker opened.");
        foreach (var (name, state) in targets)
        {
            o.Append("gatehouse_target_breaker_openings_total{").Append(GatewayMetrics.Labels(("target", name))).Append("} ").Append(state.Breaker.Openings).Append('\n');
        }

        GatewayMetrics.Header(o, "gatehouse_target_healthy", "gauge", "Active health check verdict by target: 1 healthy (or not checked), 0 unhealthy.");
        foreach (var (name, state) in targets)
        {
            o.Append("gatehouse_target_healthy{").Append(GatewayMetrics.Labels(("target", name))).Append("} ").Append(state.Health.Healthy ? 1 : 0).Append('\n');
        }

        return o.ToString();
    }
}
