using Gatehouse.Core;
using Gatehouse.Server.Inspection;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// An answer an output guardrail with <c>action: route</c> rejected before anything reached the client: the request
/// is served once more by the guardrail's <c>route_to</c> model. Keeps what the rejected answer cost, so the request
/// is charged for both calls.
/// </summary>
public sealed class AnswerReroute
{
    /// <summary>Creates the record of a rejected answer.</summary>
    public AnswerReroute(CompiledGuardrail guardrail, string rejectedTarget)
    {
        Guardrail = guardrail;
        RejectedTarget = rejectedTarget;
        To = guardrail.RouteTo!;
    }

    /// <summary>The guardrail that rejected the answer.</summary>
    public CompiledGuardrail Guardrail { get; }

    /// <summary>The target whose answer was rejected.</summary>
    public string RejectedTarget { get; }

    /// <summary>The model that serves the request instead.</summary>
    public string To { get; }

    /// <summary>True until the pipeline has taken up the reroute (it happens once per request).</summary>
    public bool Pending { get; set; } = true;

    /// <summary>The rejected answer's usage, carried into the exchange's total when the request is served again.</summary>
    public Usage Usage { get; set; }

    /// <summary>The rejected answer's cost, carried likewise; null when its model is not priced.</summary>
    public decimal? Cost { get; set; }
}
