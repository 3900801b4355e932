using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Inspection.Structured;

namespace Gatehouse.Inspection.Tools;

/// <summary>Checks a tool call the model emitted: the tool name against allow/deny globs, then each argument constraint. Compiled once.</summary>
public sealed class ToolCallPolicy
{
    private readonly ToolCallPolicyOptions _options;
    private readonly (ToolArgumentConstraint Constraint, Regex? Pattern, JsonSchemaValidator? Schema)[] _constraints;

    /// <summary>Compiles the policy; an invalid regex or schema throws <see cref="ArgumentException"/> naming it.</summary>
    public ToolCallPolicy(ToolCallPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _constraints = new (ToolArgumentConstraint, Regex?, JsonSchemaValidator?)[options.Arguments.Count];
        for (var i = 0; i < _constraints.Length; i++)
        {
            var c = options.Arguments[i];
            Regex? pattern = null;
            if (c.Pattern is not null)
            {
                try
                {
                    pattern = new Regex(c.Pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"Tool argument constraint {c.Tool} {c.Path}: invalid regex: {e.Message}", nameof(options), e);
                }
            }

            _constraints[i] = (c, pattern, c.Schema is null ? null : JsonSchemaValidator.Compile(c.Schema));
        }
    }

    /// <summary>Evaluates a call of <paramref name="toolName"/> with <paramref name="argumentsJson"/> (the JSON object the model produced).</summary>
    public Verdict Evaluate(string toolName, string argumentsJson)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        if (MatchesAny(_options.Denied, toolName) || (_options.Allowed.Count > 0 && !MatchesAny(_options.Allowed, toolName)))
        {
            return Violation($"tool '{toolName}' is not allowed");
        }

        if (_constraints.Length == 0)
        {
            return Verdict.Pass;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
        }
        catch (JsonException)
        {
            return Violation($"arguments of tool '{toolName}' are not valid JSON");
        }

        using (document)
        {
            try
            {
                return EvaluateConstraints(toolName, document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // A string that is not Unicode (an unpaired surrogate escape) cannot be read, so it cannot be checked.
                return Violation($"arguments of tool '{toolName}' hold a string that is not valid Unicode");
            }
        }
    }

    private Verdict EvaluateConstraints(string toolName, JsonElement arguments)
    {
        foreach (var (constraint, pattern, schema) in _constraints)
        {
            if (!Glob.IsMatch(constraint.Tool, toolName))
            {
                continue;
            }

            if (!JsonPointer.TryResolve(arguments, constraint.Path, out var value))
            {
                if (constraint.Required)
                {
                    return Violation($"tool '{toolName}': argument {constraint.Path} is required");
                }

                continue;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (pattern is not null && !pattern.IsMatch(text))
            {
                return Violation($"tool '{toolName}': argument {constraint.Path} does not match the allowed pattern");
            }

            if (schema is not null && schema.Validate(value.GetRawText()) is { IsValid: false } result)
            {
                return Violation($"tool '{toolName}': argument {constraint.Path} fails its schema: {result.Errors[0].Message}");
            }
        }

        return Verdict.Pass;
    }

    private static Verdict Violation(string reason) =>
        Verdict.Violation(reason, 1, [new Detection(DetectorNames.ToolPolicy, "tool_call", 0, 0, 1)]);

    private static bool MatchesAny(IReadOnlyList<string> globs, string name)
    {
        foreach (var glob in globs)
        {
            if (Glob.IsMatch(glob, name))
            {
                return true;
            }
        }

        return false;
    }
}
