namespace Gatehouse.Inspection.Tools;

/// <summary>Which tool calls a model may emit.</summary>
public sealed record ToolCallPolicyOptions
{
    /// <summary>Globs of allowed tool names; empty allows every tool not denied.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    /// <summary>Globs of denied tool names; denial wins over allowance.</summary>
    public IReadOnlyList<string> Denied { get; init; } = [];

    /// <summary>Per-argument constraints.</summary>
    public IReadOnlyList<ToolArgumentConstraint> Arguments { get; init; } = [];
}
