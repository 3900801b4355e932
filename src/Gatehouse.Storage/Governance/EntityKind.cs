namespace Gatehouse.Storage.Governance;

/// <summary>The kinds of governed entities, in hierarchy order: organization → team → user / agent → key.</summary>
public enum EntityKind
{
    /// <summary>An organization.</summary>
    Org,

    /// <summary>A team inside an organization.</summary>
    Team,

    /// <summary>A person.</summary>
    User,

    /// <summary>An autonomous agent, optionally acting for a parent user.</summary>
    Agent,

    /// <summary>A virtual API key.</summary>
    Key,
}
