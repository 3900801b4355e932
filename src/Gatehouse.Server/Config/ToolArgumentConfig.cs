namespace Gatehouse.Server.Config;

/// <summary>A tool_policy constraint on one argument of the tools whose names match <see cref="Tool"/>.</summary>
public sealed class ToolArgumentConfig
{
    /// <summary>Glob of tool names.</summary>
    public string Tool { get; set; } = "*";

    /// <summary>JSON Pointer into the arguments, such as <c>/path</c>.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Regex the value must match.</summary>
    public string? Pattern { get; set; }

    /// <summary>JSON Schema (as JSON text) the value must satisfy.</summary>
    public string? Schema { get; set; }

    /// <summary>Whether the argument must be present.</summary>
    public bool Required { get; set; }
}
