using System.Collections.Concurrent;

namespace Gatehouse.Server.Routing;

/// <summary>
/// Semantic results by a 128-bit hash of the embedded text, bounded: when full it starts over (a router's traffic
/// that repeats is small and refills it at once; a flood of distinct texts costs one clear per capacity requests).
/// </summary>
internal sealed class SemanticCache
{
    private readonly ConcurrentDictionary<UInt128, SemanticResult> _entries = new();
    private readonly int _capacity;
    private int _count;

    public SemanticCache(int capacity) => _capacity = capacity;

    public bool TryGet(UInt128 key, out SemanticResult result) => _entries.TryGetValue(key, out result!);

    public void Add(UInt128 key, SemanticResult result)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries[key] = result;
    }
}
