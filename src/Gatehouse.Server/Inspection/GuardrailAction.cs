namespace Gatehouse.Server.Inspection;

/// <summary>What a guardrail does when its detector reports a violation.</summary>
public enum GuardrailAction
{
    /// <summary>Refuse with an error in the client's dialect (or end a stream with an error event).</summary>
    Block,

    /// <summary>Replace the findings with typed placeholders and continue.</summary>
    Redact,

    /// <summary>Continue and record the verdict.</summary>
    Flag,

    /// <summary>Serve the request with the guardrail's <c>route_to</c> model instead.</summary>
    Route,
}
