using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

public sealed class PolicyExplanationTests
{
    private static readonly PolicySet Set = Load("""
        policies:
          - id: research-can-use-smart
            effect: permit
            principal: { in: "Team::research" }
            action: [invoke_model, use_embeddings]
            resource: { in: "ModelGroup::smart" }
            when: context.estimated_tokens < 20000
          - id: no-agents-on-gpt4o
            effect: forbid
            principal: { type: Agent }
            action: invoke_model
            resource: Model::openai/gpt-4o
          - id: keys-admin
            effect: permit
            principal: User::alice
            action: admin:keys.create
            resource: any
        """);

    [Fact]
    public void Every_statement_says_what_matched_and_which_decided()
    {
        var explanation = Set.Explain(Request());

        Assert.True(explanation.Decision.Allowed);
        var permit = explanation.Statements[0];
        Assert.True(permit.ScopeMatched);
        Assert.Equal(ConditionResult.True, permit.Condition);
        Assert.True(permit.Determining);
        var forbid = explanation.Statements[1];
        Assert.False(forbid.PrincipalMatched);
        Assert.Equal(ConditionResult.NotEvaluated, forbid.Condition);
        Assert.False(forbid.Applies);
        var admin = explanation.Statements[2];
        Assert.True(admin.PrincipalMatched);
        Assert.False(admin.ActionMatched);
    }

    [Fact]
    public void The_text_rendering_reads_as_a_report()
    {
        var text = PolicyExplanationText.Render(Set.Explain(Request(principal: Bot, ancestors: [Research])));

        Assert.Equal(
            """
            request:  Agent::bot invoke_model Model::openai/gpt-4o
            decision: DENY (denied by policy no-agents-on-gpt4o)

              permit research-can-use-smart: principal yes action yes resource yes condition true -> applies
            * forbid no-agents-on-gpt4o: principal yes action yes resource yes condition none -> applies (determining)
              permit keys-admin: principal no action no resource yes condition - -> does not apply

            """,
            text);
    }

    [Fact]
    public void A_condition_error_is_shown()
    {
        var text = PolicyExplanationText.Render(Set.Explain(Request(context: new PolicyContext { Time = Monday10Utc })));

        Assert.Contains("condition error", text, StringComparison.Ordinal);
        Assert.Contains("DENY (no policy permits User::alice to invoke_model on Model::openai/gpt-4o)", text, StringComparison.Ordinal);
    }
}
