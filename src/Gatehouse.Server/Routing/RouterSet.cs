namespace Gatehouse.Server.Routing;

/// <summary>The compiled routers of one snapshot, by every name clients may ask for (names and aliases).</summary>
public sealed class RouterSet
{
    private readonly Dictionary<string, Router> _byName;

    /// <summary>Creates the set.</summary>
    public RouterSet(Dictionary<string, Router> byName) => _byName = byName;

    /// <summary>No routers.</summary>
    public static RouterSet Empty { get; } = new(new Dictionary<string, Router>(StringComparer.Ordinal));

    /// <summary>Every name that selects a router.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The routers, each once.</summary>
    public IEnumerable<Router> All => _byName.Values.Distinct();

    /// <summary>The router clients reach by <paramref name="name"/>, if any.</summary>
    public bool TryGet(string name, out Router router)
    {
        if (_byName.Count > 0 && _byName.TryGetValue(name, out var found))
        {
            router = found;
            return true;
        }

        router = null!;
        return false;
    }
}
