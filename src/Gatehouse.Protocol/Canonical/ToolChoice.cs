namespace Gatehouse.Protocol.Canonical;

/// <summary>How the model must use tools.</summary>
public enum ToolChoiceMode
{
    /// <summary>The model decides.</summary>
    Auto,

    /// <summary>The model must not call tools.</summary>
    None,

    /// <summary>The model must call some tool.</summary>
    Required,

    /// <summary>The model must call the named tool.</summary>
    Function,
}

/// <summary>The caller's tool choice.</summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? FunctionName = null);
