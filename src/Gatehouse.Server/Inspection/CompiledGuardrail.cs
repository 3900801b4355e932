using Gatehouse.Inspection.Tools;
using Gatehouse.Server.Config;
using Gatehouse.Server.Pipeline;

namespace Gatehouse.Server.Inspection;

/// <summary>A guardrail ready to run: its detector, stages, scope, action and error policy. Immutable, shared by all requests of a snapshot.</summary>
public sealed class CompiledGuardrail
{
    /// <summary>The guardrail's name.</summary>
    public required string Name { get; init; }

    /// <summary>The configured detector name (pii, secrets, …).</summary>
    public required string DetectorName { get; init; }

    /// <summary>The detector.</summary>
    public required IGuardrailDetector Detector { get; init; }

    /// <summary>The stages it applies to.</summary>
    public required GuardrailStage Stages { get; init; }

    /// <summary>What a violation does.</summary>
    public required GuardrailAction Action { get; init; }

    /// <summary>How long an external check may take.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>True to allow (and record not_scanned) when the check cannot run; false to refuse.</summary>
    public required bool FailOpen { get; init; }

    /// <summary>The model to serve instead, for the route action.</summary>
    public string? RouteTo { get; init; }

    /// <summary>The hold-back window in characters for streamed answers.</summary>
    public int StreamWindow { get; init; } = 128;

    /// <summary>For whole-text detectors on a streamed answer: the most characters kept for the end-of-stream check.</summary>
    public int StreamMaxChars { get; init; } = GuardrailConfig.DefaultStreamMaxChars;

    /// <summary>Requested-model globs; empty applies to all.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Team ids; empty applies to all.</summary>
    public IReadOnlyList<string> Teams { get; init; } = [];

    /// <summary>Key ids; empty applies to all.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Whether the guardrail applies to <paramref name="stage"/> of this exchange (stage and scope).</summary>
    public bool AppliesTo(Exchange exchange, GuardrailStage stage)
    {
        if ((Stages & stage) == 0)
        {
            return false;
        }

        if (Models.Count > 0 && !AnyGlob(Models, exchange.ModelRequested))
        {
            return false;
        }

        if (Teams.Count > 0 && !Contains(Teams, exchange.Principal?.TeamId))
        {
            return false;
        }

        return Keys.Count == 0 || Contains(Keys, exchange.Principal?.KeyId);
    }

    private static bool AnyGlob(IReadOnlyList<string> globs, string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var glob in globs)
        {
            if (Glob.IsMatch(glob, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(IReadOnlyList<string> values, string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
