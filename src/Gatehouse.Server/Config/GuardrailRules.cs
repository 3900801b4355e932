namespace Gatehouse.Server.Config;

/// <summary>What a guardrail may combine: stages per detector, actions per detector and stage, and the required parameters.</summary>
internal static class GuardrailRules
{
    /// <summary>The stages a guardrail can apply to.</summary>
    public static readonly string[] Stages = ["input", "output", "tool_calls", "tool_results"];

    /// <summary>The actions a guardrail can take on a violation.</summary>
    public static readonly string[] Actions = ["block", "redact", "flag", "route"];

    /// <summary>The built-in PII types.</summary>
    public static readonly string[] PiiTypes = ["email", "phone", "credit_card", "us_ssn", "iban", "ipv4", "ipv6", "date_of_birth"];

    /// <summary>Detectors that report spans, so their findings can be replaced by placeholders.</summary>
    private static readonly string[] Redacting = ["pii", "secrets", "content", "prompt_injection"];

    /// <summary>The stages a detector applies to when <c>apply_to</c> is not given.</summary>
    public static List<string> DefaultStages(string detector) => detector switch
    {
        "prompt_injection" => ["input", "tool_results"],
        "json_schema" => ["output"],
        "tool_policy" => ["tool_calls"],
        _ => ["input"],
    };

    /// <summary>Reports stage and action problems of a guardrail whose detector is known.</summary>
    public static void Check(GuardrailConfig g, string path, Action<string> stageError, Action<string> actionError)
    {
        foreach (var stage in g.ApplyTo)
        {
            if (Array.IndexOf(Stages, stage) < 0)
            {
                var hint = YamlNodeReader.Closest(stage, Stages);
                stageError($"'{path}.apply_to': unknown stage '{stage}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")} Stages: {string.Join(", ", Stages)}.");
            }
        }

        if (g.Detector == "tool_policy" && (g.ApplyTo.Count != 1 || g.ApplyTo[0] != "tool_calls"))
        {
            stageError($"'{path}': the tool_policy detector checks the tool calls a model emits; use apply_to: [tool_calls].");
        }

        if (g.Detector == "json_schema" && (g.ApplyTo.Count != 1 || g.ApplyTo[0] != "output"))
        {
            stageError($"'{path}': the json_schema detector validates the model's answer; use apply_to: [output].");
        }

        if (Array.IndexOf(Actions, g.Action) < 0)
        {
            var hint = YamlNodeReader.Closest(g.Action, Actions);
            actionError($"'{path}.action': unknown action '{g.Action}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")} Actions: {string.Join(", ", Actions)}.");
            return;
        }

        if (g.Action == "redact" && Array.IndexOf(Redacting, g.Detector) < 0)
        {
            actionError($"'{path}.action': redact needs a detector that finds spans ({string.Join(", ", Redacting)}); use block or flag with {g.Detector}.");
        }

        if (g.Action == "route")
        {
            if (g.RouteTo is null)
            {
                actionError($"'{path}': action route needs route_to, the model to serve the request instead (a virtual model or provider/model).");
            }

        }

        switch (g.Detector)
        {
            case "webhook" when g.Url is null:
                actionError($"'{path}': the webhook detector needs url.");
                break;
            case "llm_judge" when g.Model is null:
                actionError($"'{path}': the llm_judge detector needs model, a configured model name (a virtual model or provider/model).");
                break;
            case "content" when g.Banned.Count == 0 && g.Patterns.Count == 0 && g.MaxChars is null:
                actionError($"'{path}': the content detector needs at least one of banned, patterns or max_chars.");
                break;
            case "tool_policy" when g.Allowed.Count == 0 && g.Denied.Count == 0 && g.Arguments.Count == 0:
                actionError($"'{path}': the tool_policy detector needs at least one of allowed, denied or arguments.");
                break;
        }
    }
}
