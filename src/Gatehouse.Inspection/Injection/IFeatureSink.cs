namespace Gatehouse.Inspection.Injection;

/// <summary>Receives hashed feature indices in the order the hasher produces them.</summary>
internal interface IFeatureSink
{
    /// <summary>Takes one feature index (already masked to the hash space).</summary>
    void Add(int index);
}
