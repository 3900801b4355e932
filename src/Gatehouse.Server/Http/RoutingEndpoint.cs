using System.Text.Json;
using Gatehouse.Protocol.Json;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Http;

/// <summary><c>GET /admin/api/routing</c>: each virtual model's strategy and targets with breaker state, in-flight and latency.</summary>
public sealed class RoutingEndpoint
{
    private readonly SnapshotHolder _snapshots;
    private readonly TargetStates _states;
    private readonly TimeProvider _time;

    /// <summary>Creates the endpoint.</summary>
    public RoutingEndpoint(SnapshotHolder snapshots, TargetStates states, TimeProvider time)
    {
        _snapshots = snapshots;
        _states = states;
        _time = time;
    }

    /// <summary>Answers with the routing table.</summary>
    public async Task ListAsync(HttpContext http)
    {
        var snapshot = _snapshots.Current;
        using var buffer = new PooledBufferWriter(8192);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("models");
            foreach (var name in snapshot.AliasNames.Order(StringComparer.Ordinal))
            {
                var resolution = snapshot.Resolve(name);
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("strategy", resolution.Strategy?.Name ?? "ordered");
                writer.WriteNumber("attempts_per_target", resolution.Retry.Attempts);
                if (resolution.Group?.Deadline is { } deadline)
                {
                    writer.WriteNumber("deadline_seconds", deadline.TotalSeconds);
                }

                writer.WriteStartArray("fallbacks");
                foreach (var fallback in resolution.Group?.Fallbacks ?? [])
                {
                    writer.WriteStringValue(fallback.Model);
                }

                writer.WriteEndArray();
                writer.WriteBoolean("hedging", resolution.Group?.Hedge is not null);
                writer.WriteBoolean("health_checks", resolution.Group?.HealthCheck is not null);
                writer.WriteStartArray("targets");
                foreach (var target in resolution.Targets!)
                {
                    var state = _states.For(target);
                    var breaker = state.Breaker;
                    var stats = state.Stats;
                    writer.WriteStartObject();
                    writer.WriteString("name", target.Name);
                    writer.WriteString("provider", target.Provider.Name);
                    writer.WriteString("model", target.Model);
                    writer.WriteString("breaker", breaker.State);
                    if (breaker.RetryAfter(_time) is { } retryAfter)
                    {
                        writer.WriteNumber("open_for_seconds", Math.Round(retryAfter.TotalSeconds, 3));
                    }

                    writer.WriteNumber("breaker_openings", breaker.Openings);
                    writer.WriteNumber("in_flight", stats.InFlight);
                    writer.WriteNumber("attempts", stats.Attempts);
                    writer.WriteNumber("failures", stats.Failures);
                    writer.WriteBoolean("healthy", state.Health.Healthy);
                    if (state.Health.LastError is { } healthError)
                    {
                        writer.WriteString("health_error", healthError);
                    }

                    var (requests, tokens) = state.Quota.LastMinute;
                    writer.WriteNumber("requests_last_minute", requests);
                    writer.WriteNumber("tokens_last_minute", tokens);
                    if (target.MaxRpm is { } rpm)
                    {
                        writer.WriteNumber("max_rpm", rpm);
                    }

                    if (target.MaxTpm is { } tpm)
                    {
                        writer.WriteNumber("max_tpm", tpm);
                    }
                    if (double.IsNaN(stats.LatencyMs))
                    {
                        writer.WriteNull("latency_ms_ewma");
                    }
                    else
                    {
                        writer.WriteNumber("latency_ms_ewma", Math.Round(stats.LatencyMs, 3));
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await ModelsEndpoint.WriteJsonAsync(http, buffer);
    }
}
