namespace Gatehouse.Server.Runtime;

/// <summary>Holds the current snapshot; a reload replaces it with one reference swap.</summary>
public sealed class SnapshotHolder
{
    private volatile GatewaySnapshot _current;

    /// <summary>Creates the holder with the first snapshot.</summary>
    public SnapshotHolder(GatewaySnapshot initial) => _current = initial;

    /// <summary>The snapshot new requests use.</summary>
    public GatewaySnapshot Current => _current;

    /// <summary>How many times a new snapshot was swapped in.</summary>
    public int Generation { get; private set; }

    /// <summary>Makes <paramref name="next"/> current for new requests.</summary>
    public void Swap(GatewaySnapshot next)
    {
        _current = next;
        Generation++;
    }
}
