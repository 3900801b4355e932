using Gatehouse.Server.Config;
using Gatehouse.Server.Runtime;
using Xunit;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>The guardrails: section: parsed with file:line:column errors and suggestions, validated at load, compiled into the snapshot.</summary>
public sealed class GuardrailConfigTests
{
    private const string Providers = """
        providers:
          - name: openai
            kind: openai
        models:
          - name: smart
            targets: [{ provider: openai, model: gpt-4o }]
        """;

    private static ConfigException Fails(string guardrails) =>
        Assert.Throws<ConfigException>(() => new ConfigLoader().Load(Providers + "\n" + guardrails, "g.yaml"));

    [Fact]
    public void Every_problem_is_reported_with_its_line_and_a_suggestion()
    {
        var ex = Fails("""
            guardrails:
              - name: a
                detector: pi
              - name: b
                detector: content
                banned: [x]
                action: redcat
              - name: c
                detector: pii
                aply_to: [input]
              - name: d
                detector: pii
                threshold: 0.5
                apply_to: [inputs]
            """);
        var messages = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("g.yaml:9:15", StringComparison.Ordinal) && m.Contains("unknown detector 'pi'; did you mean 'pii'?", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("g.yaml:13:13", StringComparison.Ordinal) && m.Contains("did you mean 'redact'?", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("g.yaml:16:5", StringComparison.Ordinal) && m.Contains("did you mean 'apply_to'?", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'guardrails[3].threshold' belongs to the prompt_injection detector", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("unknown stage 'inputs'; did you mean 'input'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Actions_detectors_and_models_must_fit_together()
    {
        var ex = Fails("""
            guardrails:
              - { name: a, detector: webhook, url: "http://127.0.0.1:1/x", action: redact }
              - { name: b, detector: prompt_injection, action: route }
              - { name: c, detector: llm_judge, model: smrt }
              - { name: c, detector: content, patterns: ['(?<=a)b'] }
              - { name: e, detector: tool_policy, allowed: [x], apply_to: [input] }
            """);
        var text = string.Join("\n", ex.Errors);
        Assert.Contains("redact needs a detector that finds spans", text, StringComparison.Ordinal);
        Assert.Contains("action route needs route_to", text, StringComparison.Ordinal);
        Assert.Contains("model 'smrt' is neither a virtual model", text, StringComparison.Ordinal);
        Assert.Contains("did you mean 'smart'?", text, StringComparison.Ordinal);
        Assert.Contains("guardrail name 'c' is used twice", text, StringComparison.Ordinal);
        Assert.Contains("invalid regex", text, StringComparison.Ordinal);
        Assert.Contains("use apply_to: [tool_calls]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_can_be_written_in_yaml_and_defaults_fill_the_stages()
    {
        var config = new ConfigLoader().Load(Providers + """

            guardrails:
              - name: shape
                detector: json_schema
                schema:
                  type: object
                  required: [answer]
                  properties: { answer: { type: string, maxLength: 10 } }
              - name: inj
                detector: prompt_injection
            """, "g.yaml");
        Assert.Equal("""{"type":"object","required":["answer"],"properties":{"answer":{"type":"string","maxLength":10}}}""", config.Guardrails[0].Schema);
        Assert.Equal(["output"], config.Guardrails[0].ApplyTo);
        Assert.Equal(["input", "tool_results"], config.Guardrails[1].ApplyTo);
    }

    [Fact]
    public void Route_applies_to_output_and_stream_max_chars_is_bounded_with_its_line()
    {
        var config = new ConfigLoader().Load(Providers + """

            guardrails:
              - name: shape
                detector: json_schema
                action: route
                route_to: smart
                stream_max_chars: 65536
            """, "g.yaml");
        Assert.Equal(["output"], config.Guardrails[0].ApplyTo);
        Assert.Equal("smart", config.Guardrails[0].RouteTo);
        Assert.Equal(65536, config.Guardrails[0].StreamMaxChars);

        var ex = Fails("""
            guardrails:
              - name: shape
                detector: json_schema
                action: route
                route_to: smrt
                stream_max_chars: 100
            """);
        var messages = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("g.yaml:12:23", StringComparison.Ordinal) && m.Contains("'guardrails[0].stream_max_chars' must be", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("g.yaml:8:", StringComparison.Ordinal) && m.Contains("route_to 'smrt' is neither a virtual model", StringComparison.Ordinal) && m.Contains("did you mean 'smart'?", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("guardrails.yaml", 6)]
    [InlineData("guardrails-external.yaml", 3)]
    public void The_guardrail_examples_compile_into_the_snapshot(string file, int count)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Gatehouse.slnx")))
        {
            root = root.Parent!;
        }

        var config = new ConfigLoader(new EnvInterpolator(_ => "value-from-env")).LoadFile(Path.Combine(root.FullName, "examples", file));
        using var handlers = new HandlerCache(TimeProvider.System);
        var snapshot = new SnapshotCompiler(handlers).Compile(config);
        Assert.Equal(count, snapshot.Guardrails.All.Count);
    }
}
