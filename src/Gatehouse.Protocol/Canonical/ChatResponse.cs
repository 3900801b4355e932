using Gatehouse.Core;

namespace Gatehouse.Protocol.Canonical;

/// <summary>The canonical non-streamed answer.</summary>
public sealed class ChatResponse
{
    /// <summary>The provider's response id (or one the gateway made).</summary>
    public required string Id { get; init; }

    /// <summary>The model that answered, as the provider named it.</summary>
    public required string Model { get; set; }

    /// <summary>The assistant content in order: reasoning, text, tool calls.</summary>
    public List<ContentPart> Parts { get; init; } = [];

    /// <summary>Why the model stopped.</summary>
    public FinishReason FinishReason { get; init; }

    /// <summary>The provider's stop sequence that matched, if reported.</summary>
    public string? StopSequence { get; init; }

    /// <summary>Token usage as reported by the provider.</summary>
    public Usage Usage { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary>A refusal message, if the model refused.</summary>
    public string? Refusal { get; init; }
}
