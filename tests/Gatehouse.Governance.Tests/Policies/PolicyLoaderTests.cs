using Gatehouse.Governance.Policies;
using Xunit;
using static Gatehouse.Governance.Tests.Policies.PolicyFixtures;

namespace Gatehouse.Governance.Tests.Policies;

public sealed class PolicyLoaderTests
{
    [Fact]
    public void Every_problem_is_reported_at_once_with_its_position()
    {
        var errors = Errors("""
            policies:
              - id: one
                effect: permit
                principal: { in: "Tem::research" }
                action: [invoke_model, use_embedings]
                resource: any
                colour: blue
              - id: one
                effect: allow
                principal: any
                action: any
                resource: { type: User }
            """);

        Assert.Equal(
            [
                "policies.yaml:4:22: unknown entity type 'Tem' in 'principal' of statement 'one'; did you mean 'Team'? Allowed types: Org, Team, User, Agent, Key.",
                "policies.yaml:5:28: unknown action 'use_embedings'; did you mean 'use_embeddings'?",
                "policies.yaml:7:5: unknown key 'colour' in statement 'one'.",
                "policies.yaml:8:9: duplicate policy id 'one': it is already used at policies.yaml:2; ids must be unique across all policy files.",
                "policies.yaml:9:13: 'effect' must be permit or forbid; got 'allow'.",
                "policies.yaml:12:23: User cannot be used in 'resource' of statement 'one': use one of Model, ModelGroup, Provider, Tool, McpServer.",
            ],
            errors.Select(e => WithoutKnownList(e.ToString())));
    }

    [Fact]
    public void Missing_required_keys_say_what_to_write()
    {
        var errors = Errors("""
            policies:
              - id: incomplete
                effect: forbid
                action: invoke_model
            """);

        Assert.Equal(
            [
                "policies.yaml:2:5: statement 'incomplete' has no 'principal': write principal: any to match every principal, or scope it (Type::id, { type: T }, { in: Type::id }).",
                "policies.yaml:2:5: statement 'incomplete' has no 'resource': write resource: any to match every resource, or scope it (Type::id, { type: T }, { in: Type::id }).",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_cel_syntax_error_points_into_the_expression()
    {
        var error = Assert.Single(Errors("""
            policies:
              - id: broken
                effect: permit
                principal: any
                action: any
                resource: any
                when: 'context.hour >= && context.hour < 18'
            """));

        // Line 7, the quote opens at column 11, the expression starts at 12; '&&' is 16 characters in.
        Assert.Equal(7, error.Line);
        Assert.Equal(28, error.Column);
        Assert.StartsWith("in 'when': CEL syntax error: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_attributes_and_variables_are_rejected_with_suggestions_and_positions()
    {
        var errors = Errors("""
            policies:
              - id: typos
                effect: forbid
                principal: any
                action: any
                resource: any
                when: context.hours > 18 || principl.team == "x" || request.tokens > 5
            """);

        Assert.Equal(
            [
                "policies.yaml:7:19: in 'when': unknown attribute 'context.hours'; did you mean 'context.hour'? Attributes of context: source_ip, time, hour, day_of_week, estimated_tokens, tags, has_tools, has_images, stream, guardrails, session_id.",
                "policies.yaml:7:33: in 'when': unknown variable 'principl'; did you mean 'principal'? Conditions read principal.*, resource.* and context.*; strings need quotes.",
                "policies.yaml:7:57: in 'when': unknown variable 'request'. Conditions read principal.*, resource.* and context.*; strings need quotes.",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Positions_inside_a_block_condition_are_exact()
    {
        var error = Assert.Single(Errors("""
            policies:
              - id: block
                effect: permit
                principal: any
                action: any
                resource: any
                when: |
                  context.hour >= 8 &&
                  resource.provder == "openai"
            """));

        Assert.Equal((9, 16), (error.Line, error.Column));
        Assert.StartsWith("in 'when': unknown attribute 'resource.provder'; did you mean 'resource.provider'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Macro_variables_are_not_mistaken_for_unknown_ones()
    {
        var set = Load("""
            policies:
              - id: tagged
                effect: permit
                principal: any
                action: any
                resource: any
                when: principal.tags.exists(t, t.startsWith("ml-")) || context.tags.all(x, x != "blocked")
            """);

        Assert.True(set.Evaluate(Request()).Allowed);
    }

    [Theory]
    [InlineData("principal: research", "'research' in 'principal' of statement 'x' is not an entity: write Type::id, for example Team::research, or any.")]
    [InlineData("principal: Team", "'Team' in 'principal' of statement 'x' is not an entity: write Type::id, for example Team::research, or any. For every Team, write { type: Team }.")]
    [InlineData("principal: Model::openai/gpt-4o", "Model cannot be used in 'principal' of statement 'x': use one of Org, Team, User, Agent, Key.")]
    [InlineData("principal: { in: Key::k1 }", "Key cannot be used in 'in' of 'principal' of statement 'x': use one of Org, Team, User, Agent.")]
    [InlineData("principal: {}", "'principal' of statement 'x' is empty: write any, Type::id, { type: T } or { in: Type::id }.")]
    [InlineData("principal: { in: Team::a, is: User }", "unknown key 'is' in 'principal' of statement 'x'; did you mean 'in'? Known keys: type, in.")]
    [InlineData("principal: any\n    mode: dry-run", "'mode' must be enforce or shadow; got 'dry-run'.")]
    public void Scope_mistakes_are_explained(string line, string message)
    {
        var error = Assert.Single(Errors($"""
            policies:
              - id: x
                effect: permit
                {line}
                action: any
                resource: any
            """));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Document_level_mistakes_are_reported()
    {
        Assert.Equal(
            "policies.yaml:1:1: unknown key 'polices' in the policy document; did you mean 'policies'? Known keys: mode, policies.",
            Errors("polices: []")[0].ToString());
        Assert.Equal(
            "policies.yaml:1:11: 'policies' must be a list of statements (lines starting with '- ').",
            Assert.Single(Errors("policies: {}")).ToString());
        Assert.StartsWith("policies.yaml:3:1: invalid YAML", Assert.Single(Errors("policies:\n- id: [\n")).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_must_be_unique_across_documents()
    {
        var result = new PolicyLoader().Load(
        [
            new PolicySource("a.yaml", "policies:\n  - { id: same, effect: permit, principal: any, action: any, resource: any }\n"),
            new PolicySource("b.yaml", "policies:\n  - { id: same, effect: forbid, principal: any, action: any, resource: any }\n"),
        ]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("b.yaml:2:11: duplicate policy id 'same': it is already used at a.yaml:2; ids must be unique across all policy files.", error.ToString());
    }

    [Fact]
    public void An_empty_document_loads_as_an_empty_set()
    {
        var result = new PolicyLoader().Load(string.Empty, "empty.yaml");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Set!.Statements);
    }

    [Fact]
    public void A_custom_schema_limits_what_conditions_may_read()
    {
        var schema = new PolicyAttributeSchema([new PolicyAttribute("context", "hour", PolicyAttributeType.Int, true, "hour")]);
        var result = new PolicyLoader(schema).Load(
            "policies:\n  - { id: x, effect: permit, principal: any, action: any, resource: any, when: 'context.estimated_tokens < 5' }\n",
            "p.yaml");

        Assert.Contains("unknown attribute 'context.estimated_tokens'", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    // The lists of known actions and keys are long; the position and the suggestion are what matter here.
    private static string WithoutKnownList(string message)
    {
        var cut = message.IndexOf(" Known ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
