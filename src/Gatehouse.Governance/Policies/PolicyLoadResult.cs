namespace Gatehouse.Governance.Policies;

/// <summary>The outcome of loading policy documents: a compiled set, or every problem found.</summary>
public sealed class PolicyLoadResult
{
    private PolicyLoadResult(PolicySet? set, IReadOnlyList<PolicyError> errors)
    {
        Set = set;
        Errors = errors;
    }

    /// <summary>The compiled set; null when there were errors.</summary>
    public PolicySet? Set { get; }

    /// <summary>Every problem, in document order; empty on success.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    /// <summary>Whether the documents compiled without a problem.</summary>
    public bool Succeeded => Set is not null;

    internal static PolicyLoadResult Success(PolicySet set) => new(set, []);

    internal static PolicyLoadResult Failure(IReadOnlyList<PolicyError> errors) => new(null, errors);
}
