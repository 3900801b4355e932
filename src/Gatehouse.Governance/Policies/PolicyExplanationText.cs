using System.Text;

namespace Gatehouse.Governance.Policies;

/// <summary>Renders a <see cref="PolicyExplanation"/> as plain text for a terminal.</summary>
public static class PolicyExplanationText
{
    /// <summary>The explanation as lines: the request, the verdict, then one line per statement.</summary>
    public static string Render(PolicyExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var request = explanation.Request;
        var decision = explanation.Decision;
        var text = new StringBuilder();
        text.Append("request:  ").Append(request.Principal).Append(' ').Append(request.Action).Append(' ').Append(request.Resource).Append('\n');
        text.Append("decision: ").Append(decision.Allowed ? "ALLOW" : "DENY").Append(" (").Append(decision.Reason).Append(")\n");
        if (decision.Shadow is { } shadow)
        {
            text.Append("shadow:   ").Append(shadow.Allowed ? "ALLOW" : "DENY").Append(" (").Append(shadow.Reason).Append(")\n");
        }

        text.Append('\n');
        foreach (var row in explanation.Statements)
        {
            var statement = row.Statement;
            text.Append(row.Determining || row.DeterminingShadow ? "* " : "  ")
                .Append(statement.Effect == PolicyEffect.Permit ? "permit " : "forbid ")
                .Append(statement.Id);
            if (statement.Mode == PolicyMode.Shadow)
            {
                text.Append(" [shadow]");
            }

            text.Append(": principal ").Append(Mark(row.PrincipalMatched))
                .Append(" action ").Append(Mark(row.ActionMatched))
                .Append(" resource ").Append(Mark(row.ResourceMatched))
                .Append(" condition ").Append(Condition(row))
                .Append(row.Applies ? " -> applies" : " -> does not apply");
            if (row.Determining)
            {
                text.Append(" (determining)");
            }
            else if (row.DeterminingShadow)
            {
                text.Append(" (determining in shadow)");
            }

            text.Append('\n');
            if (row.ConditionError is { } error)
            {
                text.Append("    condition error: ").Append(error).Append('\n');
            }
        }

        if (explanation.Statements.Count == 0)
        {
            text.Append("  (no statements)\n");
        }

        return text.ToString();
    }

    private static string Mark(bool matched) => matched ? "yes" : "no";

    private static string Condition(StatementExplanation row) => row.Condition switch
    {
        ConditionResult.Absent => "none",
        ConditionResult.True => "true",
        ConditionResult.False => "false",
        ConditionResult.Error => "error",
        _ => "-",
    };
}
