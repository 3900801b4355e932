using System.Text.Json;

namespace Gatehouse.Protocol.Canonical;

/// <summary>The canonical chat request every inbound dialect decodes into and every provider encodes from.</summary>
public sealed class ChatRequest
{
    private Dictionary<string, JsonElement>? _extra;

    /// <summary>The model name as the client asked for it.</summary>
    public required string Model { get; set; }

    /// <summary>The conversation, system messages included, in order.</summary>
    public List<ChatMessage> Messages { get; init; } = [];

    /// <summary>Function tools offered to the model.</summary>
    public List<ToolDefinition> Tools { get; init; } = [];

    /// <summary>How tools must be used, if specified.</summary>
    public ToolChoice? ToolChoice { get; set; }

    /// <summary>Whether the model may call several tools at once, if specified.</summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>Requested output format, if any.</summary>
    public ResponseFormat? ResponseFormat { get; set; }

    /// <summary>Maximum output tokens, if specified.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Sampling temperature.</summary>
    public double? Temperature { get; set; }

    /// <summary>Nucleus sampling.</summary>
    public double? TopP { get; set; }

    /// <summary>Top-k sampling (Anthropic, Gemini).</summary>
    public int? TopK { get; set; }

    /// <summary>Stop sequences.</summary>
    public List<string> Stop { get; init; } = [];

    /// <summary>Sampling seed.</summary>
    public long? Seed { get; set; }

    /// <summary>An end-user identifier for abuse monitoring.</summary>
    public string? User { get; set; }

    /// <summary>Whether the client wants a stream.</summary>
    public bool Stream { get; set; }

    /// <summary>Whether an OpenAI client asked for a final usage chunk.</summary>
    public bool IncludeUsage { get; set; }

    /// <summary>An extended-thinking token budget, if the client asked for one.</summary>
    public int? ThinkingBudget { get; set; }

    /// <summary>An OpenAI reasoning effort (low, medium, high), if given.</summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>
    /// Set when a stage changed the request (a clamped max_tokens, a redaction), so the client's original bytes no longer
    /// match it and the pass-through path must re-encode.
    /// </summary>
    public bool Modified { get; set; }

    /// <summary>Fields the gateway does not model, passed through untouched to providers of the same family.</summary>
    /// <remarks>Made on first use: most requests have none, and the pass-through path never reads it.</remarks>
    public Dictionary<string, JsonElement> Extra
    {
        get => _extra ??= [];
        init => _extra = value;
    }

    /// <summary>Reads an unmodelled field without making <see cref="Extra"/> when there is none.</summary>
    public bool TryGetExtra(string name, out JsonElement value)
    {
        if (_extra is null)
        {
            value = default;
            return false;
        }

        return _extra.TryGetValue(name, out value);
    }

    /// <summary>The dialect the request arrived in.</summary>
    public Dialect SourceDialect { get; init; }
}
