namespace Gatehouse.Protocol.Canonical;

/// <summary>Who authored a message in the canonical conversation.</summary>
public enum Role
{
    /// <summary>Instructions for the model (OpenAI system/developer, Anthropic and Gemini top-level system).</summary>
    System,

    /// <summary>The end user.</summary>
    User,

    /// <summary>The model.</summary>
    Assistant,

    /// <summary>Results of tool calls, fed back to the model.</summary>
    Tool,
}
