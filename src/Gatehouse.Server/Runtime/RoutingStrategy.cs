using Gatehouse.Providers.Catalog;

namespace Gatehouse.Server.Runtime;

/// <summary>
/// Orders a virtual model's targets for one request. The first target serves; the rest are the failover order.
/// </summary>
public sealed class RoutingStrategy
{
    /// <summary>The strategy names accepted in configuration.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ordered", "weighted", "round_robin", "least_in_flight", "lowest_latency", "lowest_cost"];

    private const double Exploration = 0.05;
    private readonly string _name;
    private readonly double[] _weights;
    private long _next = -1;

    /// <summary>Creates the strategy for one virtual model.</summary>
    public RoutingStrategy(string name, double[] weights)
    {
        _name = name;
        _weights = weights;
    }

    /// <summary>The strategy's name.</summary>
    public string Name => _name;

    /// <summary>
    /// Returns the targets in the order to try them. <paramref name="promptTokens"/> and <paramref name="outputTokens"/>
    /// (estimates) price the request for lowest_cost.
    /// </summary>
    public RouteTarget[] Order(RouteTarget[] targets, TargetStates states, Random random, long promptTokens = 0, long outputTokens = 0)
    {
        if (targets.Length < 2 || _name == "ordered")
        {
            return targets;
        }

        var order = (RouteTarget[])targets.Clone();
        switch (_name)
        {
            case "weighted":
                MoveToFront(order, PickWeighted(random));
                break;
            case "round_robin":
                Rotate(order, (int)((ulong)Interlocked.Increment(ref _next) % (ulong)order.Length));
                break;
            case "least_in_flight":
                SortStable(order, t => states.For(t).Stats.InFlight);
                break;
            case "lowest_cost":
                SortStable(order, t => PriceOf(t.Info, promptTokens, outputTokens) ?? decimal.MaxValue);
                break;
            case "lowest_latency":
                // Untried targets first (latency unknown), then by average latency; now and then a random one first so a
                // target that recovered is measured again.
                SortStable(order, t => states.For(t).Stats.LatencyMs is var ms && double.IsNaN(ms) ? -1 : ms);
                if (random.NextDouble() < Exploration)
                {
                    MoveToFront(order, random.Next(order.Length));
                }

                break;
        }

        return order;
    }

    private int PickWeighted(Random random)
    {
        var total = 0.0;
        foreach (var weight in _weights)
        {
            total += weight;
        }

        var point = random.NextDouble() * total;
        for (var i = 0; i < _weights.Length; i++)
        {
            point -= _weights[i];
            if (point < 0)
            {
                return i;
            }
        }

        return _weights.Length - 1;
    }

    private static void MoveToFront(RouteTarget[] order, int index)
    {
        var chosen = order[index];
        Array.Copy(order, 0, order, 1, index);
        order[0] = chosen;
    }

    private static void Rotate(RouteTarget[] order, int start)
    {
        var copy = (RouteTarget[])order.Clone();
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = copy[(start + i) % copy.Length];
        }
    }

    private static void SortStable<TKey>(RouteTarget[] order, Func<RouteTarget, TKey> key)
        where TKey : IComparable<TKey>
    {
        var keyed = new (TKey Key, int Index, RouteTarget Target)[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            keyed[i] = (key(order[i]), i, order[i]);
        }

        Array.Sort(keyed, static (a, b) => a.Key.CompareTo(b.Key) is var c && c != 0 ? c : a.Index.CompareTo(b.Index));
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = keyed[i].Target;
        }
    }

    /// <summary>
    /// The catalog price of a request of this size, used by lowest_cost and shown in explanations. Without estimates
    /// (both zero) it compares a request of one token in and one out, that is the per-token prices.
    /// </summary>
    public static decimal? PriceOf(ModelInfo? info, long promptTokens, long outputTokens) => info is null
        ? null
        : (info.InputPrice * Math.Max(promptTokens, 1)) + (info.OutputPrice * Math.Max(outputTokens, 1));
}
