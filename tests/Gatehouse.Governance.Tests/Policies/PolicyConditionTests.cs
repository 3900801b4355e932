using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

public sealed class PolicyConditionTests
{
    private static PolicySet PermitWhen(string condition) => Load($$"""
        policies:
          - id: conditional
            effect: permit
            principal: any
            action: any
            resource: any
            when: '{{condition}}'
        """);

    private static PolicySet ForbidWhen(string condition) => Load($$"""
        policies:
          - { id: everyone, effect: permit, principal: any, action: any, resource: any }
          - id: conditional-forbid
            effect: forbid
            principal: any
            action: any
            resource: any
            when: '{{condition}}'
        """);

    [Theory]
    [InlineData("context.estimated_tokens < 20000 && context.hour >= 8", true)]
    [InlineData("context.estimated_tokens < 500", false)]
    [InlineData("principal.team == \"research\" && principal.org == \"acme\"", true)]
    [InlineData("principal.agent == \"\"", true)]
    [InlineData("resource.provider == \"openai\" && \"smart\" in resource.groups", true)]
    [InlineData("context.source_ip.startsWith(\"10.\")", true)]
    [InlineData("context.day_of_week >= 1 && context.day_of_week <= 5", true)]
    [InlineData("context.time < timestamp(\"2025-01-01T00:00:00Z\")", false)]
    [InlineData("int(context.time) > 1700000000", true)]
    [InlineData("!context.has_tools && !context.stream", true)]
    [InlineData("\"admin\" in principal.roles", false)]
    [InlineData("size(context.tags) == 0 && !(\"pii\" in context.guardrails)", true)]
    public void A_permit_applies_exactly_when_its_condition_is_true(string condition, bool expected)
    {
        var decision = PermitWhen(condition).Evaluate(Request());

        Assert.Equal(expected, decision.Allowed);
        Assert.Empty(decision.Errors);
    }

    [Fact]
    public void Guardrail_verdicts_and_roles_are_readable()
    {
        var set = ForbidWhen("\"pii\" in context.guardrails && context.guardrails[\"pii\"] == \"flagged\" && !(\"auditor\" in principal.roles)");
        var flagged = new PolicyContext { Time = Monday10Utc, Guardrails = new Dictionary<string, string> { ["pii"] = "flagged" } };

        Assert.False(set.Evaluate(Request(context: flagged)).Allowed);
        Assert.True(set.Evaluate(Request(context: flagged, roles: ["auditor"])).Allowed);
        Assert.True(set.Evaluate(Request()).Allowed);
    }

    [Fact]
    public void A_failing_permit_condition_does_not_apply_and_the_error_is_recorded()
    {
        // estimated_tokens is absent from this request, so the condition cannot be evaluated.
        var decision = PermitWhen("context.estimated_tokens < 20000").Evaluate(Request(context: new PolicyContext { Time = Monday10Utc }));

        Assert.False(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.NoPermit, decision.Basis);
        var error = Assert.Single(decision.Errors);
        Assert.Equal("conditional", error.PolicyId);
        Assert.Equal(PolicyEffect.Permit, error.Effect);
        Assert.Contains("estimated_tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_forbid_condition_applies_fail_closed_and_says_so()
    {
        var decision = ForbidWhen("context.estimated_tokens > 100000").Evaluate(Request(context: new PolicyContext { Time = Monday10Utc }));

        Assert.False(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.Forbidden, decision.Basis);
        Assert.Equal(["conditional-forbid"], decision.DeterminingPolicies);
        Assert.Contains("could not be evaluated", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("fail closed", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(PolicyEffect.Forbid, Assert.Single(decision.Errors).Effect);
    }

    [Fact]
    public void A_guarded_optional_attribute_does_not_fail()
    {
        var decision = ForbidWhen("has(context.estimated_tokens) && context.estimated_tokens > 100000")
            .Evaluate(Request(context: new PolicyContext { Time = Monday10Utc }));

        Assert.True(decision.Allowed);
        Assert.Empty(decision.Errors);
    }

    [Theory]
    [InlineData("context.estimated_tokens / 0 == 1")]
    [InlineData("context.hour + \"x\" == \"x\"")]
    [InlineData("context.hour")]
    public void Runtime_failures_and_non_boolean_results_are_errors(string condition)
    {
        var permit = PermitWhen(condition).Evaluate(Request());
        var forbid = ForbidWhen(condition).Evaluate(Request());

        Assert.False(permit.Allowed);
        Assert.Single(permit.Errors);
        Assert.False(forbid.Allowed);
        Assert.Single(forbid.Errors);
    }

    [Fact]
    public void A_false_forbid_condition_leaves_the_permit_standing()
    {
        var decision = ForbidWhen("context.hour < 8").Evaluate(Request());

        Assert.True(decision.Allowed);
        Assert.Equal(["everyone"], decision.DeterminingPolicies);
    }
}
