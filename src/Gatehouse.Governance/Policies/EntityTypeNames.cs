namespace Gatehouse.Governance.Policies;

/// <summary>The spelling of entity types in policy files and messages, and which of them are principals or resources.</summary>
public static class EntityTypeNames
{
    /// <summary>The types a principal can have, from the top of the hierarchy down.</summary>
    public static IReadOnlyList<EntityType> PrincipalTypes { get; } =
        [EntityType.Org, EntityType.Team, EntityType.User, EntityType.Agent, EntityType.Key];

    /// <summary>The types a resource can have.</summary>
    public static IReadOnlyList<EntityType> ResourceTypes { get; } =
        [EntityType.Model, EntityType.ModelGroup, EntityType.Provider, EntityType.Tool, EntityType.McpServer];

    /// <summary>Every type name as written in policy files.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetNames<EntityType>();

    /// <summary>The type's name as policies write it (<c>Team</c>, <c>Model</c>, …), without allocating.</summary>
    public static string Of(EntityType type) => All[(int)type];

    /// <summary>Whether <paramref name="type"/> can be a principal.</summary>
    public static bool IsPrincipal(this EntityType type) => type <= EntityType.Key;

    /// <summary>Whether <paramref name="type"/> can be a resource.</summary>
    public static bool IsResource(this EntityType type) => type >= EntityType.Model;

    /// <summary>Parses a type name exactly as written in policy files (case-sensitive, as in Cedar).</summary>
    public static bool TryParse(string name, out EntityType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var candidate in Enum.GetValues<EntityType>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
