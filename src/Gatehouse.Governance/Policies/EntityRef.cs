namespace Gatehouse.Governance.Policies;

/// <summary>One entity: its type and its id, written <c>Type::id</c> (for example <c>Team::research</c>).</summary>
/// <param name="Type">The kind of entity.</param>
/// <param name="Id">The entity's id, unique within its type; ids may contain <c>/</c> and <c>:</c>.</param>
public readonly record struct EntityRef(EntityType Type, string Id)
{
    /// <summary>The separator between type and id.</summary>
    public const string Separator = "::";

    /// <summary>
    /// Parses <c>Type::id</c> or the Cedar spelling <c>Type::"id"</c>. Returns false with the type name as written
    /// when the text has no separator or names an unknown type, so callers can suggest a fix.
    /// </summary>
    public static bool TryParse(string text, out EntityRef entity, out string typeName)
    {
        ArgumentNullException.ThrowIfNull(text);
        entity = default;
        var separator = text.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0)
        {
            typeName = string.Empty;
            return false;
        }

        typeName = text[..separator].Trim();
        var id = text[(separator + Separator.Length)..].Trim();
        if (id.Length >= 2 && id[0] == '"' && id[^1] == '"')
        {
            id = id[1..^1];
        }

        if (id.Length == 0 || !EntityTypeNames.TryParse(typeName, out var type))
        {
            return false;
        }

        entity = new EntityRef(type, id);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}{Separator}{Id}";
}
