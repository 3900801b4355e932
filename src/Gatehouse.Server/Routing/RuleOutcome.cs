namespace Gatehouse.Server.Routing;

/// <summary>How one rule fared in an explained decision: matched, or the first condition that failed.</summary>
public readonly record struct RuleOutcome(string Rule, string Model, string? FailedCondition)
{
    /// <summary>Whether the rule matched.</summary>
    public bool Matched => FailedCondition is null;
}
