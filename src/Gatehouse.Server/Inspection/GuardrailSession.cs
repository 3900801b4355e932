using System.Text;
using Gatehouse.Inspection.Redaction;

namespace Gatehouse.Server.Inspection;

/// <summary>The guardrail state of one request: placeholder numbering shared by input and output, the verdicts so far, and a route decision.</summary>
public sealed class GuardrailSession
{
    /// <summary>Placeholders are consistent within the request: the same value always gets the same one.</summary>
    public RedactionSession Redaction { get; } = new();

    /// <summary>One verdict per guardrail and stage that ran.</summary>
    public List<GuardrailVerdict> Verdicts { get; } = [];

    /// <summary>The model an input or tool_results route guardrail chose, if any (an output route is <see cref="Pipeline.Exchange.Reroute"/>).</summary>
    public string? RouteTo { get; set; }

    /// <summary>The <c>x-gatehouse-guardrails</c> value: <c>name=outcome</c> per guardrail (the most significant outcome over its stages), joined by <c>;</c>.</summary>
    public string HeaderValue()
    {
        var names = new List<string>();
        var outcomes = new List<GuardrailOutcome>();
        foreach (var verdict in Verdicts)
        {
            var i = names.IndexOf(verdict.Guardrail);
            if (i < 0)
            {
                names.Add(verdict.Guardrail);
                outcomes.Add(verdict.Outcome);
            }
            else if (verdict.Outcome > outcomes[i])
            {
                outcomes[i] = verdict.Outcome;
            }
        }

        var header = new StringBuilder();
        for (var i = 0; i < names.Count; i++)
        {
            header.Append(i == 0 ? string.Empty : ";").Append(names[i]).Append('=').Append(GuardrailNames.Outcome(outcomes[i]));
        }

        return header.ToString();
    }

    /// <summary>The request log value: <c>name:stage=outcome</c> per verdict, joined by <c>;</c>.</summary>
    public string LogValue()
    {
        var log = new StringBuilder();
        foreach (var verdict in Verdicts)
        {
            log.Append(log.Length == 0 ? string.Empty : ";").Append(verdict.Guardrail).Append(':').Append(GuardrailNames.Stage(verdict.Stage))
                .Append('=').Append(GuardrailNames.Outcome(verdict.Outcome));
        }

        return log.ToString();
    }
}
