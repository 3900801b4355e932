using Google.Protobuf.WellKnownTypes;

namespace Gatehouse.Governance.Policies;

/// <summary>
/// Builds the CEL variables <c>principal</c>, <c>resource</c> and <c>context</c> for one request, as plain dictionaries
/// and lists (the Cel package's AOT-safe path). Identity attributes are always present ("" when absent); optional
/// context facts the request lacks are left out, so a condition reading them errors unless guarded with <c>has()</c>.
/// </summary>
internal static class PolicyActivation
{
    public static Dictionary<string, object?> Build(PolicyRequest request)
    {
        var principal = new Dictionary<string, object?>(9, StringComparer.Ordinal)
        {
            ["id"] = request.Principal.Id,
            ["type"] = request.Principal.Type.ToString(),
            ["user"] = Nearest(request.Principal, request.PrincipalAncestors, EntityType.User),
            ["agent"] = Nearest(request.Principal, request.PrincipalAncestors, EntityType.Agent),
            ["team"] = Nearest(request.Principal, request.PrincipalAncestors, EntityType.Team),
            ["org"] = Nearest(request.Principal, request.PrincipalAncestors, EntityType.Org),
            ["key"] = Nearest(request.Principal, request.PrincipalAncestors, EntityType.Key),
            ["tags"] = List(request.PrincipalTags),
            ["roles"] = List(request.PrincipalRoles),
        };

        var groups = new List<object?>();
        foreach (var group in Groups(request))
        {
            groups.Add(group);
        }

        var resource = new Dictionary<string, object?>(6, StringComparer.Ordinal)
        {
            ["id"] = request.Resource.Id,
            ["type"] = request.Resource.Type.ToString(),
            ["provider"] = Nearest(request.Resource, request.ResourceParents, EntityType.Provider),
            ["groups"] = groups,
            ["mcp_server"] = Nearest(request.Resource, request.ResourceParents, EntityType.McpServer),
            ["tags"] = List(request.ResourceTags),
        };

        var facts = request.Context;
        var utc = facts.Time.ToUniversalTime();
        var guardrails = new Dictionary<string, object?>(facts.Guardrails.Count, StringComparer.Ordinal);
        foreach (var (name, verdict) in facts.Guardrails)
        {
            guardrails[name] = verdict;
        }

        var context = new Dictionary<string, object?>(11, StringComparer.Ordinal)
        {
            ["time"] = Timestamp.FromDateTimeOffset(utc),
            ["hour"] = (long)utc.Hour,
            ["day_of_week"] = (long)utc.DayOfWeek,
            ["tags"] = List(facts.Tags),
            ["has_tools"] = facts.HasTools,
            ["has_images"] = facts.HasImages,
            ["stream"] = facts.Stream,
            ["guardrails"] = guardrails,
        };
        if (facts.SourceIp is { } ip)
        {
            context["source_ip"] = ip;
        }

        if (facts.EstimatedTokens is { } tokens)
        {
            context["estimated_tokens"] = tokens;
        }

        if (facts.SessionId is { } session)
        {
            context["session_id"] = session;
        }

        return new Dictionary<string, object?>(3, StringComparer.Ordinal)
        {
            [PolicyAttributeSchema.PrincipalRoot] = principal,
            [PolicyAttributeSchema.ResourceRoot] = resource,
            [PolicyAttributeSchema.ContextRoot] = context,
        };
    }

    /// <summary>The model groups among the resource's parents (<c>resource.groups</c>).</summary>
    public static List<string> Groups(PolicyRequest request)
    {
        var groups = new List<string>();
        foreach (var parent in request.ResourceParents)
        {
            if (parent.Type == EntityType.ModelGroup)
            {
                groups.Add(parent.Id);
            }
        }

        return groups;
    }

    /// <summary>The id of the nearest entity of <paramref name="type"/>: the entity itself or an ancestor; "" when none.</summary>
    public static string Nearest(EntityRef self, IReadOnlyList<EntityRef> ancestors, EntityType type)
    {
        if (self.Type == type)
        {
            return self.Id;
        }

        for (var i = 0; i < ancestors.Count; i++)
        {
            if (ancestors[i].Type == type)
            {
                return ancestors[i].Id;
            }
        }

        return string.Empty;
    }

    private static List<object?> List(IReadOnlyList<string> items)
    {
        var list = new List<object?>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            list.Add(items[i]);
        }

        return list;
    }
}
