namespace Gatehouse.Inspection.Injection;

/// <summary>A binary feature vector: the distinct hashed feature indices, each with the same value (1/√count, so the vector has unit length).</summary>
/// <param name="Indices">Distinct feature indices, ascending.</param>
/// <param name="Value">The value of every present feature.</param>
public readonly record struct HashedFeatures(int[] Indices, float Value);
