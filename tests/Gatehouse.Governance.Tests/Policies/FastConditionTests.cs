using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

/// <summary>
/// The fast path for common conditions must decide exactly as the Cel package does: the same true, false or error for
/// every expression it accepts, over requests with and without the optional context facts.
/// </summary>
public sealed class FastConditionTests
{
    public static TheoryData<string> Accepted { get; } =
    [
        "context.hour >= 0 && context.estimated_tokens < 100000",
        "has(context.estimated_tokens) && context.estimated_tokens > 1000000",
        "context.estimated_tokens > 500 || context.hour < 3",
        "context.estimated_tokens > 500 && context.hour == 10",
        "context.estimated_tokens < 500 && context.hour == 10",
        "context.hour == 10 || context.estimated_tokens < 500",
        "context.hour == 9 || context.estimated_tokens < 500",
        "context.estimated_tokens < 500 || context.hour == 9",
        "!(context.estimated_tokens > 10)",
        "!context.has_tools && !context.stream",
        "context.has_images == false",
        "principal.team == \"research\" && principal.org == 'acme'",
        "principal.agent == \"\"",
        "principal.type == \"User\" && resource.type != \"Tool\"",
        "resource.provider == \"openai\" && \"smart\" in resource.groups",
        "\"admin\" in principal.roles",
        "principal.team in [\"research\", \"sales\"]",
        "context.day_of_week in [1, 2, 3, 4, 5]",
        "context.hour in [-1, 11]",
        "\"pii\" in context.guardrails",
        "has(context.guardrails.pii) && context.guardrails.pii == \"flagged\"",
        "context.guardrails.pii == \"flagged\"",
        "context.guardrails.pii == \"flagged\" || true",
        "false && context.guardrails.pii == \"flagged\"",
        "has(context.source_ip) && context.source_ip == \"10.0.0.5\"",
        "context.source_ip != \"10.0.0.5\"",
        "context.session_id == \"s-1\"",
        "has(context.session_id)",
        "has(principal.team)",
        "(context.hour >= 8 && context.hour < 18) || \"oncall\" in principal.tags",
        "\"beta\" in context.tags || \"beta\" in resource.tags",
        "context.estimated_tokens >= -5",
    ];

    public static TheoryData<string> LeftToCel { get; } =
    [
        "context.source_ip.startsWith(\"10.\")",
        "size(context.tags) == 0",
        "context.time < timestamp(\"2025-01-01T00:00:00Z\")",
        "context.guardrails[\"pii\"] == \"flagged\"",
        "context.estimated_tokens > 1.5",
        "principal.team < \"s\"",
        "principal.team == \"a\\\"b\"",
        "context.hour == \"10\"",
        "context.hour < 5 < 6",
        "principal.team in []",
        "context.tags.exists(t, t == \"x\")",
        "context.hour == 0x0A",
        "context.hour == 10u",
    ];

    private static readonly PolicyRequest[] Requests =
    [
        Request(),
        Request(context: new PolicyContext { Time = Monday10Utc }),
        Request(
            principal: Bot,
            context: new PolicyContext
            {
                Time = Monday10Utc.AddHours(14),
                EstimatedTokens = 2_000_000,
                SessionId = "s-1",
                Tags = ["beta"],
                HasTools = true,
                Stream = true,
                Guardrails = new Dictionary<string, string> { ["pii"] = "flagged" },
            },
            roles: ["admin"]),
        Request(principal: Bob, ancestors: [Sales, Org], context: new PolicyContext { Time = Monday10Utc.AddDays(5), SourceIp = "192.168.1.1", Guardrails = new Dictionary<string, string> { ["pii"] = "pass" } }),
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void The_fast_path_decides_as_the_Cel_package_does(string source)
    {
        var condition = Compile(source);
        Assert.NotNull(condition.Fast);
        foreach (var request in Requests)
        {
            var cel = condition.Evaluate(PolicyActivation.Build(request), out var celError);
            var fast = condition.Fast!.Evaluate(request, out var fastError);
            Assert.True(cel == fast, $"'{source}': Cel {cel} ({celError}), fast path {fast} ({fastError}) for {request.Principal} {request.Context.EstimatedTokens}");
            Assert.Equal(celError is null, fastError is null);
        }
    }

    [Theory]
    [MemberData(nameof(LeftToCel))]
    public void Expressions_outside_the_subset_are_left_to_the_Cel_package(string source)
    {
        var problems = new List<ConditionCompiler.Problem>();
        var condition = new ConditionCompiler(PolicyAttributeSchema.Default).Compile(source, problems);
        Assert.Null(condition?.Fast);
    }

    [Fact]
    public void A_policy_set_with_fast_conditions_decides_and_explains_as_before()
    {
        var set = Load("""
            policies:
              - { id: everyone, effect: permit, principal: any, action: any, resource: any }
              - id: no-huge
                effect: forbid
                principal: any
                action: any
                resource: any
                when: context.estimated_tokens > 1000000
            """);

        Assert.True(set.Evaluate(Request()).Allowed);
        var denied = set.Evaluate(Requests[2]);
        Assert.False(denied.Allowed);
        Assert.Contains("no-huge", denied.DeterminingPolicies);

        // Without the fact the forbid's condition cannot be decided: it fails closed, with the error recorded.
        var undecided = set.Evaluate(Requests[1]);
        Assert.False(undecided.Allowed);
        Assert.Single(undecided.Errors);
    }

    private static PolicyCondition Compile(string source)
    {
        var problems = new List<ConditionCompiler.Problem>();
        var condition = new ConditionCompiler(PolicyAttributeSchema.Default).Compile(source, problems);
        Assert.True(condition is not null, $"'{source}' did not compile: {string.Join("; ", problems)}");
        return condition!;
    }
}
