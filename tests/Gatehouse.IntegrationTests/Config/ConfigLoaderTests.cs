using Gatehouse.Server.Config;
using Xunit;

namespace Gatehouse.IntegrationTests.Config;

/// <summary>YAML loading: env interpolation, every problem reported at once with file:line, and the shipped examples.</summary>
public sealed class ConfigLoaderTests
{
    private static readonly Dictionary<string, string> Env = new() { ["OPENAI_API_KEY"] = "sk-from-env", ["REGION"] = "eu-west-1" };

    private static ConfigLoader Loader() => new(new EnvInterpolator(name => Env.GetValueOrDefault(name)));

    [Fact]
    public void Loads_every_section_with_env_interpolation()
    {
        var config = Loader().Load("""
            server:
              listen: 0.0.0.0:9000
              max_body_bytes: 2048
              shutdown_timeout: 45s
              inline_io: true
            storage:
              url: sqlite://data/gh.db
            providers:
              - name: openai
                kind: openai
                api_key: ${env:OPENAI_API_KEY}
                first_byte_timeout: 1500ms
                headers:
                  OpenAI-Organization: org-1
              - name: bedrock
                kind: bedrock
                region: ${env:REGION}
                access_key_id: ${env:MISSING:-AKIDEXAMPLE}
                secret_access_key: secret
            models:
              - name: smart
                targets:
                  - { provider: openai, model: gpt-4o }
                  - { provider: bedrock, model: anthropic.claude-3-5-sonnet-20240620-v1:0 }
            """, "gatehouse.yaml");

        Assert.Equal("0.0.0.0:9000", config.Server.Listen);
        Assert.Equal(2048, config.Server.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Server.ShutdownTimeout);
        Assert.True(config.Server.InlineIo);
        Assert.Equal("sk-from-env", config.Providers[0].ApiKey);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.Providers[0].FirstByteTimeout);
        Assert.Equal("org-1", config.Providers[0].Headers["OpenAI-Organization"]);
        Assert.Equal("eu-west-1", config.Providers[1].Region);
        Assert.Equal("AKIDEXAMPLE", config.Providers[1].AccessKeyId);
        Assert.Equal("anthropic.claude-3-5-sonnet-20240620-v1:0", config.Models[0].Targets[1].Model);
    }

    [Fact]
    public void Reports_every_problem_with_file_line_and_a_hint()
    {
        var ex = Assert.Throws<ConfigException>(() => Loader().Load("""
            server:
              listen: nowhere
              max_bodybytes: 10
              inline_io: sometimes
            providers:
              - name: openai
                kind: opnai
                api_key: ${env:NOT_SET}
              - name: openai
                kind: azure
            models:
              - name: smart
                targets:
                  - { provider: openia, model: gpt-4o }
            """, "bad.yaml"));

        var messages = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("bad.yaml:3:3: unknown key 'max_bodybytes'", StringComparison.Ordinal) && m.Contains("did you mean 'max_body_bytes'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.yaml:8:14: 'providers[0].api_key': environment variable NOT_SET is not set", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'server.listen' must be host:port", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.yaml:6:", StringComparison.Ordinal) && m.Contains("unknown kind 'opnai'; did you mean 'openai'?", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.yaml:9:", StringComparison.Ordinal) && m.Contains("used twice", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("(azure) needs base_url", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.yaml:14:", StringComparison.Ordinal) && m.Contains("'openia' is not defined under providers; did you mean 'openai'?", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.yaml:4:", StringComparison.Ordinal) && m.Contains("'server.inline_io' must be true or false; got \"sometimes\"", StringComparison.Ordinal));
        Assert.Equal(8, ex.Errors.Count);
    }

    [Fact]
    public void A_key_or_header_with_a_line_break_is_refused_before_it_reaches_a_request()
    {
        var env = new EnvInterpolator(name => name == "KEY_WITH_NEWLINE" ? "sk-abc\n" : null);
        var ex = Assert.Throws<ConfigException>(() => new ConfigLoader(env).Load("""
            providers:
              - name: openai
                kind: openai
                api_key: ${env:KEY_WITH_NEWLINE}
              - name: groq
                kind: groq
                headers: { x-team: "a\r\nX-Injected: 1" }
            models:
              - name: smart
                targets:
                  - { provider: openai, model: gpt-4o, api_key: "sk-\u0000" }
            """, "keys.yaml"));

        var messages = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("keys.yaml:2:", StringComparison.Ordinal) && m.Contains("api_key contains a line break", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("keys.yaml:5:", StringComparison.Ordinal) && m.Contains("headers.x-team contains a line break", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("keys.yaml:11:", StringComparison.Ordinal) && m.Contains("a target's api_key contains a line break", StringComparison.Ordinal));
        Assert.Equal(3, ex.Errors.Count);
    }

    [Fact]
    public void Retry_settings_are_read_and_bounded()
    {
        var config = Loader().Load("""
            providers:
              - { name: mock, kind: mock }
            models:
              - name: patient
                retry: { attempts: 3, backoff: 250ms, max_backoff: 4s }
                targets:
                  - { provider: mock, model: gatehouse-mock-1 }
            """, "retry.yaml");
        Assert.Equal(3, config.Models[0].Retry.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Models[0].Retry.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(4), config.Models[0].Retry.MaxBackoff);

        var ex = Assert.Throws<ConfigException>(() => Loader().Load("""
            providers:
              - { name: mock, kind: mock }
            models:
              - name: storm
                retry: { attempts: 50 }
                targets:
                  - { provider: mock, model: m }
            """, "storm.yaml"));
        Assert.Contains("retry storm", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_past_the_runtimes_timers_is_a_config_error_not_a_500_on_every_request()
    {
        var ex = Assert.Throws<ConfigException>(() => Loader().Load("providers:\n  - name: a\n    kind: openai\n    api_key: k\n    timeout: 60d\n", "long.yaml"));
        Assert.StartsWith("long.yaml:5:", ex.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("at most 24d", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_points_at_the_line()
    {
        var ex = Assert.Throws<ConfigException>(() => Loader().Load("providers:\n  - name: a\n   kind: [unclosed\n", "broken.yaml"));
        Assert.StartsWith("broken.yaml:3:", ex.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid YAML", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_config_enables_providers_whose_keys_are_set_plus_the_mock()
    {
        var env = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "a", ["GROQ_API_KEY"] = "g", ["GATEHOUSE_LISTEN"] = "127.0.0.1:9999" };
        var config = DefaultConfig.Create(name => env.GetValueOrDefault(name));
        Assert.Equal(["anthropic", "groq", "mock"], config.Providers.Select(p => p.Name).ToArray());
        Assert.Equal("127.0.0.1:9999", config.Server.Listen);
        Assert.Equal("sqlite://gatehouse.db", config.Storage.Url);
    }

    [Fact]
    public void Every_example_config_in_the_repository_loads()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Gatehouse.slnx")))
        {
            root = root.Parent!;
        }

        var examples = Directory.GetFiles(Path.Combine(root.FullName, "examples"), "*.yaml");
        Assert.NotEmpty(examples);
        var env = new EnvInterpolator(_ => "value-from-env");
        foreach (var file in examples)
        {
            var config = new ConfigLoader(env).LoadFile(file);
            Assert.NotEmpty(config.Providers);
        }
    }
}
