namespace Gatehouse.Inspection.Tools;

/// <summary>A constraint on one argument of the tools whose names match <see cref="Tool"/>.</summary>
public sealed record ToolArgumentConstraint
{
    /// <summary>Glob of the tool names it applies to.</summary>
    public required string Tool { get; init; }

    /// <summary>JSON Pointer into the arguments object, e.g. <c>/path</c> or <c>/options/url</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Regex the value must match (strings as is, other values as JSON text); anchor it with <c>^…$</c> for a whole-value match.</summary>
    public string? Pattern { get; init; }

    /// <summary>JSON Schema the value must satisfy.</summary>
    public string? Schema { get; init; }

    /// <summary>True when a call without this argument is a violation.</summary>
    public bool Required { get; init; }
}
