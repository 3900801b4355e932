namespace Gatehouse.Server.Inspection;

/// <summary>Where in an exchange a guardrail applies; a guardrail may apply to several.</summary>
[Flags]
public enum GuardrailStage
{
    /// <summary>Nowhere.</summary>
    None = 0,

    /// <summary>User and system text of the request, scanned in direct mode.</summary>
    Input = 1,

    /// <summary>The model's text answer, streamed or not.</summary>
    Output = 2,

    /// <summary>Tool calls the model emits (name and complete arguments).</summary>
    ToolCalls = 4,

    /// <summary>Tool and function results in the request, scanned in indirect mode per segment.</summary>
    ToolResults = 8,
}
