using System.Text.Json;
using Gatehouse.Protocol.Json;
using Gatehouse.Server.Runtime;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Http;

/// <summary><c>GET /admin/api/routing</c>: each virtual model's strategy and targets with breaker state, in-flight and latency.</summary>
public sealed class RoutingEndpoint
{
    private readonly SnapshotHolder _snapshots;
    private readonly CircuitBreakers _breakers;
    private readonly TargetStatsRegistry _stats;
    private readonly TimeProvider _time;

    /// <summary>Creates the endpoint.</summary>
    public RoutingEndpoint(SnapshotHolder snapshots, CircuitBreakers breakers, TargetStatsRegistry stats, TimeProvider time)
    {
        _snapshots = snapshots;
        _breakers = breakers;
        _stats = stats;
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
                writer.WriteStartArray("targets");
                foreach (var target in resolution.Targets!)
                {
                    var breaker = _breakers.For(target);
                    var stats = _stats.For(target);
                    writer.WriteStartObject();
                    writer.WriteString("provider", target.Provider.Name);
                    writer.WriteString("model", target.Model);
                    writer.WriteString("breaker", breaker.State);
                    if (breaker.RetryAfter(_time) is { } retryAfter)
                    {
                        writer.WriteNumber("open_for_seconds", Math.Round(retryAfter.TotalSeconds, 3));
                    }

                    writer.WriteNumber("breaker_openings", breaker.Openings);
                    writer.WriteNumber("in_flight", stats.InFlight);
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
