namespace Gatehouse.Governance.Policies;

/// <summary>
/// Which principals or resources a statement applies to: any; every entity of a type; one entity; or every entity
/// in (below) an entity of the hierarchy. A type and an <c>in</c> may be combined ("a User in Team::research").
/// </summary>
public sealed class EntityScope
{
    private EntityScope(EntityType? type, EntityRef? entity, EntityRef? ancestor)
    {
        Type = type;
        Entity = entity;
        Ancestor = ancestor;
    }

    /// <summary>The scope that matches every entity.</summary>
    public static EntityScope Any { get; } = new(null, null, null);

    /// <summary>When set, only entities of this type match.</summary>
    public EntityType? Type { get; }

    /// <summary>When set, only this entity matches.</summary>
    public EntityRef? Entity { get; }

    /// <summary>When set, only this entity and the entities below it match (Cedar's <c>in</c>).</summary>
    public EntityRef? Ancestor { get; }

    /// <summary>Whether this scope matches everything.</summary>
    public bool IsAny => Type is null && Entity is null && Ancestor is null;

    /// <summary>A scope for exactly one entity.</summary>
    public static EntityScope Exactly(EntityRef entity) => new(null, entity, null);

    /// <summary>A scope for entities of <paramref name="type"/>, optionally restricted to those in <paramref name="ancestor"/>.</summary>
    public static EntityScope OfType(EntityType? type, EntityRef? ancestor = null) => new(type, null, ancestor);

    /// <summary>Whether <paramref name="entity"/>, whose ancestors (or parents) are <paramref name="ancestors"/>, is inside this scope.</summary>
    public bool Matches(EntityRef entity, IReadOnlyList<EntityRef> ancestors)
    {
        ArgumentNullException.ThrowIfNull(ancestors);

        // A key acts for its owner: a key whose nearest ancestor is an agent (or user) also matches that agent's
        // type and that agent exactly, as if the agent itself called.
        var owner = entity.Type == EntityType.Key && ancestors.Count > 0 && ancestors[0].Type is EntityType.Agent or EntityType.User ? ancestors[0] : (EntityRef?)null;
        if (Type is { } type && entity.Type != type && owner?.Type != type)
        {
            return false;
        }

        if (Entity is { } exact && entity != exact && owner != exact)
        {
            return false;
        }

        if (Ancestor is { } ancestor && entity != ancestor)
        {
            for (var i = 0; i < ancestors.Count; i++)
            {
                if (ancestors[i] == ancestor)
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (Entity is { } exact)
        {
            return exact.ToString();
        }

        if (IsAny)
        {
            return "any";
        }

        return (Type, Ancestor) switch
        {
            ({ } type, { } ancestor) => $"{type} in {ancestor}",
            ({ } type, null) => type.ToString(),
            _ => $"in {Ancestor}",
        };
    }
}
