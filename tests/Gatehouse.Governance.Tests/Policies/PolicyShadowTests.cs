using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

public sealed class PolicyShadowTests
{
    [Fact]
    public void A_shadow_forbid_is_reported_but_not_enforced()
    {
        var set = Load("""
            policies:
              - { id: everyone, effect: permit, principal: any, action: any, resource: any }
              - id: trial-no-gpt4o
                mode: shadow
                effect: forbid
                principal: any
                action: invoke_model
                resource: Model::openai/gpt-4o
            """);

        var decision = set.Evaluate(Request());

        Assert.True(decision.Allowed);
        Assert.Equal(["everyone"], decision.DeterminingPolicies);
        Assert.NotNull(decision.Shadow);
        Assert.False(decision.Shadow.Allowed);
        Assert.Equal(["trial-no-gpt4o"], decision.Shadow.DeterminingPolicies);
        Assert.Equal("denied by policy trial-no-gpt4o", decision.Shadow.Reason);
        Assert.True(decision.ShadowDiffers);
    }

    [Fact]
    public void A_shadow_permit_does_not_allow_but_shows_it_would()
    {
        var set = Load("""
            policies:
              - { id: alice, effect: permit, principal: User::alice, action: any, resource: any }
              - { id: trial-bob, mode: shadow, effect: permit, principal: User::bob, action: any, resource: any }
            """);

        var decision = set.Evaluate(Request(principal: Bob));

        Assert.False(decision.Allowed);
        Assert.True(decision.Shadow!.Allowed);
        Assert.Equal(["trial-bob"], decision.Shadow.DeterminingPolicies);
    }

    [Fact]
    public void A_document_in_shadow_mode_enforces_nothing_and_records_what_it_would_decide()
    {
        var set = Load("""
            mode: shadow
            policies:
              - { id: research, effect: permit, principal: { in: Team::research }, action: any, resource: any }
            """);

        var bob = set.Evaluate(Request(principal: Bob, ancestors: [Sales, Org]));
        var alice = set.Evaluate(Request());

        Assert.False(set.IsEnforcing);
        Assert.True(bob.Allowed);
        Assert.Equal(PolicyDecisionBasis.NotEnforced, bob.Basis);
        Assert.Equal(PolicyDecisionBasis.NoPermit, bob.Shadow!.Basis);
        Assert.True(bob.ShadowDiffers);
        Assert.True(alice.Shadow!.Allowed);
        Assert.False(alice.ShadowDiffers);
    }

    [Fact]
    public void A_statement_can_opt_back_into_enforcement_inside_a_shadow_document()
    {
        var set = Load("""
            mode: shadow
            policies:
              - { id: enforced, mode: enforce, effect: permit, principal: User::alice, action: any, resource: any }
              - { id: trial, effect: forbid, principal: any, action: any, resource: any }
            """);

        var decision = set.Evaluate(Request());

        Assert.True(decision.Allowed);
        Assert.False(decision.Shadow!.Allowed);
        Assert.Equal(["trial"], decision.Shadow.DeterminingPolicies);
    }
}
