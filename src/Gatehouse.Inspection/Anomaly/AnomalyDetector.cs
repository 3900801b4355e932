using System.Collections.Concurrent;
using System.Globalization;

namespace Gatehouse.Inspection.Anomaly;

/// <summary>
/// Streaming anomaly detection per identity: each finished request updates the identity's current bucket, and a
/// signal is flagged (once per bucket) as soon as the bucket so far lies <see cref="AnomalyOptions.Threshold"/>
/// robust deviations above the identity's baseline — in real time, not when the bucket closes.
/// </summary>
public sealed class AnomalyDetector
{
    private readonly ConcurrentDictionary<string, IdentityTraffic> _identities = new(StringComparer.Ordinal);
    private readonly AnomalyOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the detector.</summary>
    public AnomalyDetector(AnomalyOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Records a finished request of <paramref name="identity"/>; returns the anomalies it reveals (usually none).</summary>
    public IReadOnlyList<TrafficAnomaly> Observe(string identity, TrafficSample sample)
    {
        var now = _time.GetUtcNow();
        var bucketTicks = _options.Bucket.Ticks;
        var bucketStart = now.UtcTicks - (now.UtcTicks % bucketTicks);
        var traffic = _identities.GetOrAdd(identity, static _ => new IdentityTraffic());
        List<TrafficAnomaly>? found = null;
        lock (traffic)
        {
            traffic.Roll(bucketStart, bucketTicks, _options.Alpha);
            var current = traffic.Current;
            current[0] += 1;
            current[1] += sample.Tokens;
            current[2] += sample.CostUsd;
            current[3] += sample.Failed ? 1 : 0;
            current[4] += sample.GuardrailHits;
            var warm = traffic.BucketsSeen >= _options.WarmupBuckets;
            if (warm)
            {
                for (var s = 0; s < IdentityTraffic.Signals; s++)
                {
                    if (!traffic.FlaggedThisBucket[s] && current[s] >= Floor(s) && traffic.Baselines[s].Score(current[s]) is var score && score >= _options.Threshold)
                    {
                        traffic.FlaggedThisBucket[s] = true;
                        var name = IdentityTraffic.Name(s);
                        (found ??= []).Add(new TrafficAnomaly(identity, name, score, string.Create(
                            CultureInfo.InvariantCulture,
                            $"{name} this {_options.Bucket.TotalMinutes:0.#} min: {current[s]:0.###}, baseline {traffic.Baselines[s].Mean:0.###} ± {traffic.Baselines[s].Deviation:0.###} ({score:0.0} deviations)"), now));
                    }
                }
            }

            if (sample.Model is { } model && traffic.Models.Count < IdentityTraffic.MaxNames && traffic.Models.Add(model) && warm && _options.FlagNewModelsAndTools)
            {
                (found ??= []).Add(new TrafficAnomaly(identity, "new_model", 1, $"first use of model '{model}'", now));
            }

            foreach (var tool in sample.Tools ?? [])
            {
                if (traffic.Tools.Count < IdentityTraffic.MaxNames && traffic.Tools.Add(tool) && warm && _options.FlagNewModelsAndTools)
                {
                    (found ??= []).Add(new TrafficAnomaly(identity, "new_tool", 1, $"first use of tool '{tool}'", now));
                }
            }
        }

        return found is null ? [] : found;
    }

    private double Floor(int signal) => signal switch
    {
        0 => _options.MinRequests,
        1 => _options.MinTokens,
        2 => _options.MinCostUsd,
        _ => 5,
    };
}
