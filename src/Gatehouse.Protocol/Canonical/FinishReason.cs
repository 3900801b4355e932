namespace Gatehouse.Protocol.Canonical;

/// <summary>Why the model stopped.</summary>
public enum FinishReason
{
    /// <summary>Natural end or a stop sequence.</summary>
    Stop,

    /// <summary>The output token limit was reached.</summary>
    Length,

    /// <summary>The model called tools.</summary>
    ToolCalls,

    /// <summary>Content was filtered by the provider.</summary>
    ContentFilter,

    /// <summary>The model refused.</summary>
    Refusal,
}
