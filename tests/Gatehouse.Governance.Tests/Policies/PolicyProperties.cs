using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Gatehouse.Governance.Policies;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

/// <summary>Properties of the decision semantics over random statement sets drawn from a small universe.</summary>
public sealed class PolicyProperties
{
    private static readonly string[] Principals = ["any", "User::alice", "{ type: Agent }", "{ in: Team::research }", "{ in: Org::acme }", "{ type: User, in: Team::sales }"];
    private static readonly string[] Actions = ["any", "invoke_model", "[invoke_model, use_embeddings]", "'admin:*'", "call_tool"];
    private static readonly string[] Resources = ["any", "Model::openai/gpt-4o", "{ in: ModelGroup::smart }", "{ type: Tool }", "{ in: Provider::openai }"];
    private static readonly string?[] Conditions = [null, "context.hour >= 8", "context.hour < 8", "context.estimated_tokens > 5", "principal.team == \"research\""];

    private static readonly PolicyRequest[] Requests = BuildRequests();

    [Property(MaxTest = 300)]
    public bool The_action_index_agrees_with_a_full_scan(byte[] spec, byte pick)
    {
        var set = Build(spec, 0);
        var request = Requests[pick % Requests.Length];
        return set.Evaluate(request).Allowed == ReferenceAllowed(set, request);
    }

    [Property(MaxTest = 300)]
    public bool Adding_a_forbid_never_turns_a_deny_into_an_allow(byte[] spec, byte[] forbid, byte pick)
    {
        var request = Requests[pick % Requests.Length];
        var before = Build(spec, 0).Evaluate(request);
        var extra = forbid.Length >= 4 ? [(byte)(forbid[0] & ~1 & ~2 | 1), forbid[1], forbid[2], forbid[3]] : new byte[] { 1, 0, 0, 0 };
        var after = Build([.. spec.Take(spec.Length / 4 * 4), .. extra], 0).Evaluate(request);
        return before.Allowed || !after.Allowed;
    }

    [Property(MaxTest = 300)]
    public bool Shadow_statements_never_change_the_enforced_verdict(byte[] spec, byte[] shadow, byte pick)
    {
        var request = Requests[pick % Requests.Length];
        var enforced = spec.Take(spec.Length / 4 * 4).Select((b, i) => i % 4 == 0 ? (byte)(b & ~2) : b).ToArray();
        var trial = shadow.Take(shadow.Length / 4 * 4).Select((b, i) => i % 4 == 0 ? (byte)(b | 2) : b).ToArray();
        var without = Build(enforced, 0).Evaluate(request);
        var with = Build([.. enforced, .. trial], 0).Evaluate(request);
        return without.Allowed == with.Allowed && (trial.Length == 0 || with.Shadow is not null);
    }

    [Property(MaxTest = 200)]
    public bool Determining_statements_are_the_ones_the_explanation_says_apply(byte[] spec, byte pick)
    {
        var set = Build(spec, 0);
        var explanation = set.Explain(Requests[pick % Requests.Length]);
        return explanation.Statements.Where(row => row.Determining).All(row => row.Applies && row.Statement.Mode == PolicyMode.Enforce
            && row.Statement.Effect == (explanation.Decision.Allowed ? PolicyEffect.Permit : PolicyEffect.Forbid));
    }

    /// <summary>Four bytes a statement: flags (bit 0 forbid, bit 1 shadow, the rest the condition), principal, action, resource.</summary>
    private static PolicySet Build(byte[] spec, int offset)
    {
        var yaml = new StringBuilder("policies:\n");
        for (var i = offset; i + 3 < spec.Length; i += 4)
        {
            var flags = spec[i];
            yaml.Append("  - id: s").Append(i / 4).Append('\n')
                .Append("    effect: ").Append((flags & 1) == 1 ? "forbid" : "permit").Append('\n')
                .Append("    mode: ").Append((flags & 2) == 2 ? "shadow" : "enforce").Append('\n')
                .Append("    principal: ").Append(Principals[spec[i + 1] % Principals.Length]).Append('\n')
                .Append("    action: ").Append(Actions[spec[i + 2] % Actions.Length]).Append('\n')
                .Append("    resource: ").Append(Resources[spec[i + 3] % Resources.Length]).Append('\n');
            if (Conditions[(flags >> 2) % Conditions.Length] is { } condition)
            {
                yaml.Append("    when: '").Append(condition).Append("'\n");
            }
        }

        return spec.Length - offset < 4 ? PolicySet.Empty : Load(yaml.ToString());
    }

    // The semantics written out naively: every enforced statement, no index, no early exit.
    private static bool ReferenceAllowed(PolicySet set, PolicyRequest request)
    {
        if (!set.IsEnforcing)
        {
            return true;
        }

        var permitted = false;
        foreach (var row in set.Explain(request).Statements)
        {
            if (row.Statement.Mode == PolicyMode.Shadow || !row.Applies)
            {
                continue;
            }

            if (row.Statement.Effect == PolicyEffect.Forbid)
            {
                return false;
            }

            permitted = true;
        }

        return permitted;
    }

    private static PolicyRequest[] BuildRequests()
    {
        var tool = new EntityRef(EntityType.Tool, "search");
        var withTokens = new PolicyContext { Time = Monday10Utc, EstimatedTokens = 100 };
        var withoutTokens = new PolicyContext { Time = Monday10Utc };
        var requests = new List<PolicyRequest>();
        foreach (var (principal, ancestors) in new (EntityRef, EntityRef[])[] { (Alice, [Research, Org]), (Bob, [Sales, Org]), (Bot, [Alice, Research, Org]) })
        {
            foreach (var action in new[] { PolicyActions.InvokeModel, PolicyActions.UseEmbeddings, PolicyActions.CallTool, PolicyActions.AdminKeysCreate })
            {
                foreach (var resource in new[] { Gpt4o, Mini, tool })
                {
                    foreach (var context in new[] { withTokens, withoutTokens })
                    {
                        requests.Add(new PolicyRequest
                        {
                            Principal = principal,
                            PrincipalAncestors = ancestors,
                            Action = action,
                            Resource = resource,
                            ResourceParents = resource == Gpt4o ? [Smart, OpenAi] : resource == Mini ? [OpenAi] : [new EntityRef(EntityType.McpServer, "web")],
                            Context = context,
                        });
                    }
                }
            }
        }

        return [.. requests];
    }
}
