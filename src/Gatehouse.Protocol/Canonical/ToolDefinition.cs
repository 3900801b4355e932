namespace Gatehouse.Protocol.Canonical;

/// <summary>A function tool the model may call.</summary>
public sealed class ToolDefinition
{
    /// <summary>The tool name.</summary>
    public required string Name { get; init; }

    /// <summary>What the tool does.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON Schema of the arguments, as JSON text.</summary>
    public string ParametersJson { get; init; } = """{"type":"object","properties":{}}""";

    /// <summary>OpenAI strict mode, if set.</summary>
    public bool? Strict { get; init; }

    /// <summary>An Anthropic cache_control mark, carried byte for byte.</summary>
    public string? CacheControlJson { get; init; }
}
