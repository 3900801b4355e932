using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

/// <summary>A key acts for its owner: type and exact scopes of the owning agent or user match the key.</summary>
public sealed class KeyOwnerScopeTests
{
    private static readonly EntityRef BotKey = new(EntityType.Key, "k1");

    [Fact]
    public void A_key_of_an_agent_matches_the_agent_type_and_the_agent_itself()
    {
        var set = Load("""
            policies:
              - id: all
                effect: permit
                principal: any
                action: any
                resource: any
              - id: no-agents
                effect: forbid
                principal: { type: Agent }
                action: invoke_model
                resource: Model::openai/gpt-4o
              - id: not-this-bot
                effect: forbid
                principal: Agent::bot
                action: use_embeddings
                resource: any
            """);
        var agentKey = set.Evaluate(Request(principal: BotKey, ancestors: [Bot, Alice, Research, Org]));
        Assert.False(agentKey.Allowed);
        Assert.Equal(["no-agents"], agentKey.DeterminingPolicies);
        Assert.False(set.Evaluate(Request(principal: BotKey, action: PolicyActions.UseEmbeddings, ancestors: [Bot, Research])).Allowed);

        // A user's key is not an agent; a key with no owner is only a key.
        Assert.True(set.Evaluate(Request(principal: BotKey, ancestors: [Alice, Research, Org])).Allowed);
        Assert.True(set.Evaluate(Request(principal: BotKey, ancestors: [Research, Org])).Allowed);
    }

    [Fact]
    public void The_owner_rule_applies_only_to_keys()
    {
        var set = Load("""
            policies:
              - id: all
                effect: permit
                principal: any
                action: any
                resource: any
              - id: no-agents
                effect: forbid
                principal: { type: Agent }
                action: any
                resource: any
            """);
        Assert.True(set.Evaluate(Request(principal: Alice, ancestors: [Bot, Research])).Allowed);
    }
}
