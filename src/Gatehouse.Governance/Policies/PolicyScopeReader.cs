using Gatehouse.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Governance.Policies;

/// <summary>Reads the <c>principal</c>, <c>action</c> and <c>resource</c> scopes of a statement.</summary>
internal static class PolicyScopeReader
{
    private static readonly string[] ScopeKeys = ["type", "in"];
    private static readonly string[] Wildcards = ["any", "*"];
    private const string AdminWildcard = "admin:*";

    /// <summary>Reads a principal or resource scope: <c>any</c>, <c>Type::id</c>, or <c>{ type: T, in: Type::id }</c>.</summary>
    public static EntityScope? ReadEntity(PolicyYamlReader reader, YamlNode node, string what, bool principal)
    {
        if (node is YamlScalarNode)
        {
            var text = reader.Scalar(node, what)!;
            if (IsWildcard(text))
            {
                return EntityScope.Any;
            }

            return ReadRef(reader, node, text, what, principal, ancestor: false) is { } entity ? EntityScope.Exactly(entity) : null;
        }

        EntityType? type = null;
        EntityRef? ancestor = null;
        var valid = true;
        foreach (var (key, _, value) in reader.Entries(node, what, ScopeKeys))
        {
            if (reader.Scalar(value, $"'{key}' in {what}") is not { } text)
            {
                valid = false;
                continue;
            }

            if (key == "type")
            {
                type = ReadType(reader, value, text, what, principal);
                valid &= type is not null;
            }
            else
            {
                ancestor = ReadRef(reader, value, text, what, principal, ancestor: true);
                valid &= ancestor is not null;
            }
        }

        if (valid && type is null && ancestor is null && node is YamlMappingNode { Children.Count: 0 })
        {
            reader.Error(node, $"{what} is empty: write any, Type::id, {{ type: T }} or {{ in: Type::id }}.");
            return null;
        }

        return valid ? EntityScope.OfType(type, ancestor) : null;
    }

    /// <summary>Reads an action scope: <c>any</c>, one action, <c>admin:*</c>, or a list of them.</summary>
    public static ActionScope? ReadActions(PolicyYamlReader reader, YamlNode node)
    {
        var items = node is YamlSequenceNode sequence ? sequence.Children : (IList<YamlNode>)[node];
        if (items.Count == 0)
        {
            reader.Error(node, "'action' is an empty list: name at least one action, or write any.");
            return null;
        }

        var actions = new List<string>();
        var written = new List<string>();
        var valid = true;
        foreach (var item in items)
        {
            if (reader.Scalar(item, "each action") is not { } action)
            {
                valid = false;
                continue;
            }

            written.Add(action);
            if (IsWildcard(action))
            {
                return ActionScope.Any;
            }

            if (action == AdminWildcard)
            {
                foreach (var known in PolicyActions.All)
                {
                    if (known.StartsWith(PolicyActions.AdminPrefix, StringComparison.Ordinal))
                    {
                        actions.Add(known);
                    }
                }
            }
            else if (PolicyActions.IsKnown(action))
            {
                actions.Add(action);
            }
            else
            {
                var hint = SpellingSuggestion.Closest(action, PolicyActions.All);
                reader.Error(item, $"unknown action '{action}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")} Known actions: {string.Join(", ", PolicyActions.All)}, {AdminWildcard} or any.");
                valid = false;
            }
        }

        return valid ? ActionScope.Of(actions, written) : null;
    }

    private static bool IsWildcard(string text) => text == Wildcards[0] || text == Wildcards[1];

    private static EntityType? ReadType(PolicyYamlReader reader, YamlNode node, string text, string what, bool principal)
    {
        var allowed = principal ? EntityTypeNames.PrincipalTypes : EntityTypeNames.ResourceTypes;
        if (EntityTypeNames.TryParse(text, out var type) && Contains(allowed, type))
        {
            return type;
        }

        reader.Error(node, UnknownType(text, what, allowed));
        return null;
    }

    private static EntityRef? ReadRef(PolicyYamlReader reader, YamlNode node, string text, string what, bool principal, bool ancestor)
    {
        if (!EntityRef.TryParse(text, out var entity, out var typeName))
        {
            if (typeName.Length == 0)
            {
                var asType = EntityTypeNames.TryParse(text, out _) ? $" For every {text}, write {{ type: {text} }}." : string.Empty;
                reader.Error(node, $"'{text}' in {what} is not an entity: write Type::id, for example {(principal ? "Team::research" : "Model::openai/gpt-4o")}, or any.{asType}");
            }
            else
            {
                reader.Error(node, UnknownType(typeName, what, principal ? EntityTypeNames.PrincipalTypes : EntityTypeNames.ResourceTypes));
            }

            return null;
        }

        var allowed = (principal, ancestor) switch
        {
            (true, false) => EntityTypeNames.PrincipalTypes,
            (true, true) => [EntityType.Org, EntityType.Team, EntityType.User, EntityType.Agent],
            (false, false) => EntityTypeNames.ResourceTypes,
            _ => [EntityType.ModelGroup, EntityType.Provider, EntityType.McpServer],
        };
        if (!Contains(allowed, entity.Type))
        {
            var role = ancestor ? $"'in' of {what}" : what;
            reader.Error(node, $"{entity.Type} cannot be used in {role}: use one of {string.Join(", ", allowed)}.");
            return null;
        }

        return entity;
    }

    private static string UnknownType(string name, string what, IReadOnlyList<EntityType> allowed)
    {
        var names = new string[allowed.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = allowed[i].ToString();
        }

        if (EntityTypeNames.TryParse(name, out _))
        {
            return $"{name} cannot be used in {what}: use one of {string.Join(", ", names)}.";
        }

        var hint = SpellingSuggestion.Closest(name, names);
        return $"unknown entity type '{name}' in {what}{(hint is null ? "." : $"; did you mean '{hint}'?")} Allowed types: {string.Join(", ", names)}.";
    }

    private static bool Contains(IReadOnlyList<EntityType> types, EntityType type)
    {
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] == type)
            {
                return true;
            }
        }

        return false;
    }
}
