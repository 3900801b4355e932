using System.Collections.Concurrent;

namespace Gatehouse.Server.Routing;

/// <summary>
/// Local embedders that live in optional projects (such as <c>minilm</c> in Gatehouse.Embeddings.MiniLM), registered by
/// the host at start. Each is created once per process on first use and shared by every snapshot, so a reload never
/// loads a model twice and a configuration that does not name it never loads it at all.
/// </summary>
public static class LocalEmbedders
{
    private static readonly ConcurrentDictionary<string, (double Threshold, Lazy<IEmbedder> Embedder)> Registered = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="factory"/> under <paramref name="name"/> (once; later registrations of the name are ignored).</summary>
    public static void Register(string name, double defaultThreshold, Func<IEmbedder> factory) =>
        Registered.TryAdd(name, (defaultThreshold, new Lazy<IEmbedder>(factory, LazyThreadSafetyMode.ExecutionAndPublication)));

    /// <summary>The registered embedder and its default threshold; false when this build has none of that name.</summary>
    public static bool TryGet(string name, out Lazy<IEmbedder> embedder, out double defaultThreshold)
    {
        if (Registered.TryGetValue(name, out var entry))
        {
            (defaultThreshold, embedder) = entry;
            return true;
        }

        embedder = null!;
        defaultThreshold = 0;
        return false;
    }
}
