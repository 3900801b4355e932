namespace Gatehouse.Governance.Policies;

/// <summary>
/// The state of one evaluation: the CEL variables (built only when a candidate statement has a condition), the matching
/// statements by effect and mode, and the conditions that failed. Lists are allocated only when something matches.
/// </summary>
internal struct EvaluationRun
{
    private readonly PolicyRequest _request;
    private Dictionary<string, object?>? _variables;
    private List<string>? _failed;

    public EvaluationRun(PolicyRequest request) => _request = request;

    public List<PolicyStatement>? EnforcedForbids { get; private set; }

    public List<PolicyStatement>? ShadowForbids { get; private set; }

    public List<PolicyStatement>? EnforcedPermits { get; private set; }

    public List<PolicyStatement>? ShadowPermits { get; private set; }

    public List<PolicyConditionError>? Errors { get; private set; }

    /// <summary>Whether a statement whose scope matched applies: no condition, a true condition, or a failed forbid condition (fail closed).</summary>
    public bool Applies(PolicyStatement statement)
    {
        if (statement.Condition is not { } condition)
        {
            return true;
        }

        string? error;
        ConditionResult result;
        if (condition.Fast is { } fast)
        {
            result = fast.Evaluate(_request, out error);
        }
        else
        {
            _variables ??= PolicyActivation.Build(_request);
            result = condition.Evaluate(_variables, out error);
        }

        if (result == ConditionResult.Error)
        {
            (Errors ??= []).Add(new PolicyConditionError(statement.Id, statement.Effect, error ?? "unknown error"));
            (_failed ??= []).Add(statement.Id);
            return statement.Effect == PolicyEffect.Forbid;
        }

        return result == ConditionResult.True;
    }

    /// <summary>Notes that <paramref name="statement"/> applies.</summary>
    public void Record(PolicyStatement statement)
    {
        var shadow = statement.Mode == PolicyMode.Shadow;
        if (statement.Effect == PolicyEffect.Forbid)
        {
            if (shadow)
            {
                (ShadowForbids ??= []).Add(statement);
            }
            else
            {
                (EnforcedForbids ??= []).Add(statement);
            }
        }
        else if (shadow)
        {
            (ShadowPermits ??= []).Add(statement);
        }
        else
        {
            (EnforcedPermits ??= []).Add(statement);
        }
    }

    /// <summary>Whether the condition of <paramref name="statement"/> failed in this run.</summary>
    public readonly bool Failed(PolicyStatement statement) =>
        _failed is not null && _failed.Contains(statement.Id);
}
