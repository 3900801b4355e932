namespace Gatehouse.Governance.Policies;

/// <summary>The attributes conditions may read; conditions that name anything else are rejected at load.</summary>
public sealed class PolicyAttributeSchema
{
    /// <summary>The variable holding the principal's attributes.</summary>
    public const string PrincipalRoot = "principal";

    /// <summary>The variable holding the resource's attributes.</summary>
    public const string ResourceRoot = "resource";

    /// <summary>The variable holding the request context.</summary>
    public const string ContextRoot = "context";

    private readonly Dictionary<string, PolicyAttribute> _byPath;

    /// <summary>Creates a schema from its attributes.</summary>
    public PolicyAttributeSchema(IEnumerable<PolicyAttribute> attributes)
    {
        Attributes = [.. attributes];
        _byPath = new Dictionary<string, PolicyAttribute>(StringComparer.Ordinal);
        foreach (var attribute in Attributes)
        {
            _byPath[attribute.Path] = attribute;
        }
    }

    /// <summary>The variables conditions may use.</summary>
    public static IReadOnlyList<string> Roots { get; } = [PrincipalRoot, ResourceRoot, ContextRoot];

    /// <summary>The attributes the gateway supplies for every request (see <see cref="PolicyActivation"/>).</summary>
    public static PolicyAttributeSchema Default { get; } = new(
    [
        new(PrincipalRoot, "id", PolicyAttributeType.String, true, "the principal's id"),
        new(PrincipalRoot, "type", PolicyAttributeType.String, true, "Org, Team, User, Agent or Key"),
        new(PrincipalRoot, "user", PolicyAttributeType.String, true, "the user id, or \"\" when there is none"),
        new(PrincipalRoot, "agent", PolicyAttributeType.String, true, "the agent id, or \"\" when there is none"),
        new(PrincipalRoot, "team", PolicyAttributeType.String, true, "the team id, or \"\" when there is none"),
        new(PrincipalRoot, "org", PolicyAttributeType.String, true, "the organization id, or \"\" when there is none"),
        new(PrincipalRoot, "key", PolicyAttributeType.String, true, "the key id used, or \"\" for a JWT"),
        new(PrincipalRoot, "tags", PolicyAttributeType.StringList, true, "tags on the principal"),
        new(PrincipalRoot, "roles", PolicyAttributeType.StringList, true, "roles (for example from a JWT roles claim)"),
        new(ResourceRoot, "id", PolicyAttributeType.String, true, "the resource's id"),
        new(ResourceRoot, "type", PolicyAttributeType.String, true, "Model, ModelGroup, Provider, Tool or McpServer"),
        new(ResourceRoot, "provider", PolicyAttributeType.String, true, "the provider serving a model, or \"\""),
        new(ResourceRoot, "groups", PolicyAttributeType.StringList, true, "the model groups a model belongs to"),
        new(ResourceRoot, "mcp_server", PolicyAttributeType.String, true, "the MCP server offering a tool, or \"\""),
        new(ResourceRoot, "tags", PolicyAttributeType.StringList, true, "tags on the resource"),
        new(ContextRoot, "source_ip", PolicyAttributeType.String, false, "the client's IP address"),
        new(ContextRoot, "time", PolicyAttributeType.Timestamp, true, "the request time"),
        new(ContextRoot, "hour", PolicyAttributeType.Int, true, "the hour of the request time in UTC, 0 to 23"),
        new(ContextRoot, "day_of_week", PolicyAttributeType.Int, true, "the UTC day of the week, 0 (Sunday) to 6"),
        new(ContextRoot, "estimated_tokens", PolicyAttributeType.Int, false, "estimated prompt plus maximum completion tokens"),
        new(ContextRoot, "tags", PolicyAttributeType.StringList, true, "request tags (from the x-gatehouse-tags header)"),
        new(ContextRoot, "has_tools", PolicyAttributeType.Bool, true, "whether the request offers tools to the model"),
        new(ContextRoot, "has_images", PolicyAttributeType.Bool, true, "whether the request carries images"),
        new(ContextRoot, "stream", PolicyAttributeType.Bool, true, "whether the client asked for a stream"),
        new(ContextRoot, "guardrails", PolicyAttributeType.StringMap, true, "input guardrail verdicts by guardrail name"),
        new(ContextRoot, "session_id", PolicyAttributeType.String, false, "the agent session id"),
    ]);

    /// <summary>Every declared attribute.</summary>
    public IReadOnlyList<PolicyAttribute> Attributes { get; }

    /// <summary>Looks up <c>root.name</c>.</summary>
    public bool TryFind(string root, string name, out PolicyAttribute attribute) =>
        _byPath.TryGetValue($"{root}.{name}", out attribute!);

    /// <summary>The attribute names declared under <paramref name="root"/>, for suggestions.</summary>
    public IEnumerable<string> NamesUnder(string root)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Root == root)
            {
                yield return attribute.Name;
            }
        }
    }
}
