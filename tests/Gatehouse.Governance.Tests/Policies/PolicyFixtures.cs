using Gatehouse.Governance.Policies;
using Xunit;

namespace Gatehouse.Governance.Tests.Policies;

/// <summary>Requests and policy sets shared by the policy tests.</summary>
internal static class PolicyFixtures
{
    public static readonly DateTimeOffset Monday10Utc = new(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);

    public static readonly EntityRef Org = new(EntityType.Org, "acme");
    public static readonly EntityRef Research = new(EntityType.Team, "research");
    public static readonly EntityRef Sales = new(EntityType.Team, "sales");
    public static readonly EntityRef Alice = new(EntityType.User, "alice");
    public static readonly EntityRef Bob = new(EntityType.User, "bob");
    public static readonly EntityRef Bot = new(EntityType.Agent, "bot");
    public static readonly EntityRef Gpt4o = new(EntityType.Model, "openai/gpt-4o");
    public static readonly EntityRef Mini = new(EntityType.Model, "openai/gpt-4o-mini");
    public static readonly EntityRef Smart = new(EntityType.ModelGroup, "smart");
    public static readonly EntityRef OpenAi = new(EntityType.Provider, "openai");

    public static PolicySet Load(string yaml)
    {
        var result = new PolicyLoader().Load(yaml, "policies.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Set!;
    }

    public static IReadOnlyList<PolicyError> Errors(string yaml)
    {
        var result = new PolicyLoader().Load(yaml, "policies.yaml");
        Assert.False(result.Succeeded);
        return result.Errors;
    }

    /// <summary>Alice (in research, in acme) or another principal invoking gpt-4o (in the smart group, from openai).</summary>
    public static PolicyRequest Request(
        EntityRef? principal = null,
        string action = PolicyActions.InvokeModel,
        EntityRef? resource = null,
        PolicyContext? context = null,
        IReadOnlyList<EntityRef>? ancestors = null,
        IReadOnlyList<string>? roles = null) => new()
        {
            Principal = principal ?? Alice,
            PrincipalAncestors = ancestors ?? [Research, Org],
            PrincipalRoles = roles ?? [],
            Action = action,
            Resource = resource ?? Gpt4o,
            ResourceParents = [Smart, OpenAi],
            Context = context ?? new PolicyContext { Time = Monday10Utc, EstimatedTokens = 1000, SourceIp = "10.0.0.5" },
        };
}
