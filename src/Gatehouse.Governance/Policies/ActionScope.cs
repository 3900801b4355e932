namespace Gatehouse.Governance.Policies;

/// <summary>Which actions a statement applies to: any, or a set of known actions.</summary>
public sealed class ActionScope
{
    private readonly HashSet<string>? _actions;

    private ActionScope(HashSet<string>? actions, IReadOnlyList<string> written)
    {
        _actions = actions;
        Written = written;
    }

    /// <summary>The scope that matches every action.</summary>
    public static ActionScope Any { get; } = new(null, ["any"]);

    /// <summary>Whether this scope matches every action.</summary>
    public bool IsAny => _actions is null;

    /// <summary>The actions as the policy wrote them (patterns such as <c>admin:*</c> kept), for explanations.</summary>
    public IReadOnlyList<string> Written { get; }

    /// <summary>A scope for the given known actions; <paramref name="written"/> is how the policy spelled them.</summary>
    public static ActionScope Of(IEnumerable<string> actions, IReadOnlyList<string> written) =>
        new(new HashSet<string>(actions, StringComparer.Ordinal), written);

    /// <summary>Whether <paramref name="action"/> is in this scope.</summary>
    public bool Matches(string action) => _actions is null || _actions.Contains(action);

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Written);
}
