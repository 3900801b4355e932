using Gatehouse.Inspection.Content;
using Gatehouse.Inspection.Pii;
using Gatehouse.Inspection.Secrets;
using Gatehouse.Inspection.Tools;
using Gatehouse.Server.Config;

namespace Gatehouse.Server.Inspection;

/// <summary>Compiles the validated <c>guardrails:</c> config into detectors, once per snapshot.</summary>
public static class GuardrailCompiler
{
    /// <summary>The default timeout of a webhook check.</summary>
    public static readonly TimeSpan DefaultWebhookTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The default timeout of an LLM-judge check.</summary>
    public static readonly TimeSpan DefaultJudgeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Compiles every guardrail; <paramref name="webhooks"/> carries webhook calls.</summary>
    public static GuardrailSet Compile(IReadOnlyList<GuardrailConfig> configs, HttpMessageInvoker webhooks, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configs);
        if (configs.Count == 0)
        {
            return GuardrailSet.Empty;
        }

        var compiled = new List<CompiledGuardrail>(configs.Count);
        foreach (var g in configs)
        {
            var stages = GuardrailStage.None;
            foreach (var stage in g.ApplyTo)
            {
                stages |= GuardrailNames.ParseStage(stage);
            }

            compiled.Add(new CompiledGuardrail
            {
                Name = g.Name,
                DetectorName = g.Detector,
                Detector = Detector(g, webhooks, time),
                Stages = stages,
                Action = GuardrailNames.ParseAction(g.Action),
                Timeout = g.Timeout ?? (g.Detector == "llm_judge" ? DefaultJudgeTimeout : DefaultWebhookTimeout),
                FailOpen = g.FailOpen,
                RouteTo = g.RouteTo,
                StreamWindow = g.StreamWindow,
                StreamMaxChars = g.StreamMaxChars,
                Models = g.Models,
                Teams = g.Teams,
                Keys = g.Keys,
            });
        }

        return new GuardrailSet(compiled);
    }

    private static IGuardrailDetector Detector(GuardrailConfig g, HttpMessageInvoker webhooks, TimeProvider time) => g.Detector switch
    {
        "pii" => new SpanGuardrailDetector(
            new PiiDetector(new PiiOptions
            {
                Types = g.Types.Count == 0 ? null : new HashSet<string>(g.Types, StringComparer.Ordinal),
                Dictionary = g.Dictionary.Count == 0 ? null : g.Dictionary,
            }),
            g.MinConfidence),
        "secrets" => new SpanGuardrailDetector(new SecretsDetector(), g.MinConfidence),
        "content" => new SpanGuardrailDetector(
            new ContentPolicyDetector(new ContentPolicyOptions { BannedPhrases = g.Banned, Patterns = g.Patterns, MaxCharacters = g.MaxChars }), 0),
        "prompt_injection" => new InjectionGuardrailDetector(g.Threshold),
        "json_schema" => new JsonSchemaGuardrailDetector(g.Schema),
        "tool_policy" => new ToolPolicyGuardrailDetector(new ToolCallPolicy(new ToolCallPolicyOptions
        {
            Allowed = g.Allowed,
            Denied = g.Denied,
            Arguments = [.. g.Arguments.Select(a => new ToolArgumentConstraint { Tool = a.Tool, Path = a.Path, Pattern = a.Pattern, Schema = a.Schema, Required = a.Required })],
        })),
        "webhook" => new WebhookGuardrailDetector(g.Name, new Uri(g.Url!), g.Headers, g.CacheTtl, webhooks, time),
        "llm_judge" => new LlmJudgeGuardrailDetector(g.Model!, g.Policy, g.Categories, time),
        _ => throw new ArgumentException($"guardrail '{g.Name}': unknown detector '{g.Detector}'", nameof(g)),
    };
}
