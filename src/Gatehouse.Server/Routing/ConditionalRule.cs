using Gatehouse.Server.Config;
using Gatehouse.Server.Governance;

namespace Gatehouse.Server.Routing;

/// <summary>A compiled routing rule: its conditions are checked in a fixed order and the first that fails is named.</summary>
public sealed class ConditionalRule
{
    private readonly RouteConditionConfig _when;

    /// <summary>Compiles a rule of the configuration.</summary>
    public ConditionalRule(RouteRuleConfig config)
    {
        Name = config.Name;
        Model = config.Model!.Name;
        _when = config.When;
    }

    /// <summary>The rule's name.</summary>
    public string Name { get; }

    /// <summary>The model matching requests go to.</summary>
    public string Model { get; }

    /// <summary>Null when every condition holds; otherwise the key of the first condition that does not (<c>teams</c>, <c>hours</c>, …).</summary>
    public string? FirstMismatch(RouteFacts facts)
    {
        var when = _when;
        if (when.Headers.Count > 0 && !HeadersMatch(facts))
        {
            return "headers";
        }

        if (when.Teams.Count > 0 && !Contains(when.Teams, facts.TeamId))
        {
            return "teams";
        }

        if (when.Users.Count > 0 && !Contains(when.Users, facts.UserId))
        {
            return "users";
        }

        if (when.Tags.Count > 0 && !AnyTag(when.Tags, facts.Tags))
        {
            return "tags";
        }

        if (when.Models.Count > 0 && !AnyGlob(when.Models, facts.Request.Model))
        {
            return "models";
        }

        if (when.HasTools is { } tools && tools != facts.HasTools)
        {
            return "has_tools";
        }

        if (when.HasImages is { } images && images != facts.HasImages)
        {
            return "has_images";
        }

        if (when.MinPromptTokens is { } min && facts.PromptTokens < min)
        {
            return "min_prompt_tokens";
        }

        if (when.MaxPromptTokens is { } max && facts.PromptTokens > max)
        {
            return "max_prompt_tokens";
        }

        return when.Hours.Count > 0 && !InHours(when.Hours, facts.Now) ? "hours" : null;
    }

    private bool HeadersMatch(RouteFacts facts)
    {
        foreach (var (name, patterns) in _when.Headers)
        {
            if (!facts.Headers.TryGetValue(name, out var values))
            {
                return false;
            }

            var any = false;
            foreach (var value in values)
            {
                if (value is not null && AnyGlob(patterns, value))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(List<string> allowed, string? value) => value is not null && allowed.Contains(value);

    private static bool AnyTag(List<string> wanted, IReadOnlyList<string> held)
    {
        foreach (var tag in held)
        {
            if (Contains(wanted, tag))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyGlob(List<string> patterns, string value)
    {
        foreach (var pattern in patterns)
        {
            if (ModelAccess.GlobMatch(pattern, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InHours(List<HourRange> hours, DateTimeOffset now)
    {
        var time = now.UtcDateTime.TimeOfDay;
        foreach (var range in hours)
        {
            if (range.Contains(time))
            {
                return true;
            }
        }

        return false;
    }
}
