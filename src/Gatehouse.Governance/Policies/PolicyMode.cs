namespace Gatehouse.Governance.Policies;

/// <summary>Whether a statement's verdict is enforced or only recorded.</summary>
public enum PolicyMode
{
    /// <summary>The statement takes part in the enforced decision.</summary>
    Enforce,

    /// <summary>The statement is evaluated and its effect reported in <see cref="PolicyDecision.Shadow"/>, but never enforced.</summary>
    Shadow,
}
