namespace Gatehouse.Server.Admin;

/// <summary>The answer of a policy test: the decision, the policies that determined it, and the rendered explanation.</summary>
public sealed class PolicyTestView
{
    /// <summary>Whether the request would be allowed.</summary>
    public bool Allowed { get; init; }

    /// <summary>Why.</summary>
    public required string Reason { get; init; }

    /// <summary>The statements that determined the decision.</summary>
    public IReadOnlyList<string> DeterminingPolicies { get; init; } = [];

    /// <summary>What enabling the shadow statements would decide, when any exist.</summary>
    public bool? ShadowAllowed { get; init; }

    /// <summary>The per-statement explanation as text.</summary>
    public required string Explanation { get; init; }
}
