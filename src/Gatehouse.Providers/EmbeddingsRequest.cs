using System.Text.Json;

namespace Gatehouse.Providers;

/// <summary>The canonical embeddings request.</summary>
public sealed class EmbeddingsRequest
{
    /// <summary>The model name as the client asked for it.</summary>
    public required string Model { get; init; }

    /// <summary>The texts to embed.</summary>
    public required List<string> Inputs { get; init; }

    /// <summary>Requested dimensions, if any.</summary>
    public int? Dimensions { get; init; }

    /// <summary>float or base64.</summary>
    public string? EncodingFormat { get; init; }

    /// <summary>An end-user identifier.</summary>
    public string? User { get; init; }

    /// <summary>Fields the gateway does not model, passed to OpenAI-family upstreams.</summary>
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}
