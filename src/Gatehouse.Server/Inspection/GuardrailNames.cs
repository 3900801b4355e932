namespace Gatehouse.Server.Inspection;

/// <summary>The wire names of stages and outcomes, as written in headers, logs, metrics and config.</summary>
public static class GuardrailNames
{
    /// <summary>The config and log name of a single stage.</summary>
    public static string Stage(GuardrailStage stage) => stage switch
    {
        GuardrailStage.Input => "input",
        GuardrailStage.Output => "output",
        GuardrailStage.ToolCalls => "tool_calls",
        GuardrailStage.ToolResults => "tool_results",
        _ => "none",
    };

    /// <summary>The stage for a config name.</summary>
    public static GuardrailStage ParseStage(string name) => name switch
    {
        "input" => GuardrailStage.Input,
        "output" => GuardrailStage.Output,
        "tool_calls" => GuardrailStage.ToolCalls,
        "tool_results" => GuardrailStage.ToolResults,
        _ => GuardrailStage.None,
    };

    /// <summary>The header, log and metric name of an outcome.</summary>
    public static string Outcome(GuardrailOutcome outcome) => outcome switch
    {
        GuardrailOutcome.Pass => "pass",
        GuardrailOutcome.Flagged => "flagged",
        GuardrailOutcome.Redacted => "redacted",
        GuardrailOutcome.Routed => "routed",
        GuardrailOutcome.NotScanned => "not_scanned",
        GuardrailOutcome.FailedClosed => "failed_closed",
        _ => "blocked",
    };

    /// <summary>The action for a config name.</summary>
    public static GuardrailAction ParseAction(string name) => name switch
    {
        "redact" => GuardrailAction.Redact,
        "flag" => GuardrailAction.Flag,
        "route" => GuardrailAction.Route,
        _ => GuardrailAction.Block,
    };
}
