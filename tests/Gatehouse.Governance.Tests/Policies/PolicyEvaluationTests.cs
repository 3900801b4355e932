using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

public sealed class PolicyEvaluationTests
{
    private const string ResearchSmart = """
        policies:
          - id: research-can-use-smart
            effect: permit
            principal: { in: "Team::research" }
            action: [invoke_model, use_embeddings]
            resource: { in: "ModelGroup::smart" }
          - id: no-agents-on-gpt4o
            effect: forbid
            description: agents may not use gpt-4o
            principal: { type: Agent }
            action: invoke_model
            resource: "Model::openai/gpt-4o"
        """;

    [Fact]
    public void A_matching_permit_allows_and_names_itself()
    {
        var decision = Load(ResearchSmart).Evaluate(Request());

        Assert.True(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.Permitted, decision.Basis);
        Assert.Equal(["research-can-use-smart"], decision.DeterminingPolicies);
        Assert.Equal("permitted by policy research-can-use-smart", decision.Reason);
        Assert.Null(decision.Shadow);
    }

    [Fact]
    public void Nothing_permits_so_default_deny_says_who_what_and_on_which_resource()
    {
        var decision = Load(ResearchSmart).Evaluate(Request(principal: Bob, ancestors: [Sales, Org]));

        Assert.False(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.NoPermit, decision.Basis);
        Assert.Empty(decision.DeterminingPolicies);
        Assert.Equal("no policy permits User::bob to invoke_model on Model::openai/gpt-4o", decision.Reason);
    }

    [Fact]
    public void A_forbid_overrides_a_matching_permit()
    {
        var decision = Load(ResearchSmart).Evaluate(Request(principal: Bot, ancestors: [Alice, Research, Org]));

        Assert.False(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.Forbidden, decision.Basis);
        Assert.Equal(["no-agents-on-gpt4o"], decision.DeterminingPolicies);
        Assert.Equal("denied by policy no-agents-on-gpt4o: agents may not use gpt-4o", decision.Reason);
    }

    [Fact]
    public void Membership_reaches_through_every_ancestor_and_includes_the_entity_itself()
    {
        var set = Load("""
            policies:
              - id: acme
                effect: permit
                principal: { in: "Org::acme" }
                action: any
                resource: { in: "Provider::openai" }
            """);

        Assert.True(set.Evaluate(Request(principal: new EntityRef(EntityType.Key, "k1"), ancestors: [Bot, Alice, Research, Org])).Allowed);
        Assert.True(set.Evaluate(Request(principal: Org, ancestors: [])).Allowed);
        Assert.False(set.Evaluate(Request(ancestors: [Research])).Allowed);
    }

    [Fact]
    public void A_type_and_an_in_combine()
    {
        var set = Load("""
            policies:
              - id: research-users
                effect: permit
                principal: { type: User, in: "Team::research" }
                action: invoke_model
                resource: any
            """);

        Assert.True(set.Evaluate(Request()).Allowed);
        Assert.False(set.Evaluate(Request(principal: Bot, ancestors: [Research])).Allowed);
    }

    [Fact]
    public void Exact_principal_in_cedar_spelling_matches_only_that_principal()
    {
        var set = Load("""
            policies:
              - id: alice-only
                effect: permit
                principal: 'User::"alice"'
                action: invoke_model
                resource: Model::openai/gpt-4o
            """);

        Assert.True(set.Evaluate(Request()).Allowed);
        Assert.False(set.Evaluate(Request(principal: Bob)).Allowed);
        Assert.False(set.Evaluate(Request(resource: Mini)).Allowed);
    }

    [Fact]
    public void The_action_scope_limits_the_statement()
    {
        var set = Load(ResearchSmart);

        Assert.True(set.Evaluate(Request(action: PolicyActions.UseEmbeddings)).Allowed);
        Assert.False(set.Evaluate(Request(action: PolicyActions.CallTool)).Allowed);
    }

    [Fact]
    public void Admin_wildcard_covers_every_admin_action_and_nothing_else()
    {
        var set = Load("""
            policies:
              - id: admins
                effect: permit
                principal: User::alice
                action: "admin:*"
                resource: any
            """);

        Assert.True(set.Evaluate(Request(action: PolicyActions.AdminKeysCreate)).Allowed);
        Assert.True(set.Evaluate(Request(action: PolicyActions.AdminAuditRead)).Allowed);
        Assert.False(set.Evaluate(Request(action: PolicyActions.InvokeModel)).Allowed);
    }

    [Fact]
    public void An_unknown_action_is_denied_with_the_known_ones_listed()
    {
        var decision = Load(ResearchSmart).Evaluate(Request(action: "invoke_modle"));

        Assert.False(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.UnknownAction, decision.Basis);
        Assert.StartsWith("unknown action 'invoke_modle'; known actions: invoke_model,", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_matching_permits_are_all_named()
    {
        var set = Load("""
            policies:
              - { id: a, effect: permit, principal: any, action: any, resource: any }
              - { id: b, effect: permit, principal: User::alice, action: invoke_model, resource: any }
            """);

        var decision = set.Evaluate(Request());

        Assert.Equal(["a", "b"], decision.DeterminingPolicies);
        Assert.Equal("permitted by policies a, b", decision.Reason);
    }

    [Fact]
    public void An_empty_set_enforces_nothing()
    {
        var decision = PolicySet.Empty.Evaluate(Request());

        Assert.True(decision.Allowed);
        Assert.Equal(PolicyDecisionBasis.NotEnforced, decision.Basis);
        Assert.False(PolicySet.Empty.IsEnforcing);
    }

    [Fact]
    public void Concurrent_evaluations_agree()
    {
        var set = Load(ResearchSmart + """

              - id: daytime
                effect: forbid
                principal: any
                action: any
                resource: any
                when: context.hour < 8 || context.estimated_tokens > 50000
            """);

        Parallel.For(0, 2000, i =>
        {
            var request = Request(principal: i % 2 == 0 ? Alice : Bot, ancestors: [Research, Org]);
            Assert.Equal(i % 2 == 0, set.Evaluate(request).Allowed);
        });
    }
}
