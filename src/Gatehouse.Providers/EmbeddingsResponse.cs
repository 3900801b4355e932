using Gatehouse.Core;

namespace Gatehouse.Providers;

/// <summary>The canonical embeddings answer.</summary>
public sealed class EmbeddingsResponse
{
    /// <summary>One vector per input, in input order.</summary>
    public required List<float[]> Vectors { get; init; }

    /// <summary>The model that answered.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>Input tokens counted by the provider.</summary>
    public Usage Usage { get; init; }
}
