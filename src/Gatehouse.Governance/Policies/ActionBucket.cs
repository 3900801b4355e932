namespace Gatehouse.Governance.Policies;

/// <summary>The statements that apply to one action, forbids and permits apart, so evaluation looks at nothing else.</summary>
internal sealed class ActionBucket
{
    public ActionBucket(PolicyStatement[] forbids, PolicyStatement[] permits)
    {
        Forbids = forbids;
        Permits = permits;
    }

    public static ActionBucket Empty { get; } = new([], []);

    public PolicyStatement[] Forbids { get; }

    public PolicyStatement[] Permits { get; }
}
