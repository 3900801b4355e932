using Gatehouse.IntegrationTests.Routing;
using Xunit;

namespace Gatehouse.IntegrationTests.Cli;

/// <summary><c>gatehouse route explain</c> and <c>gatehouse route eval</c>.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class RouteCommandTests
{
    private const string Yaml = """
        providers:
          - { name: mock, kind: mock }
        routers:
          - name: auto
            rules:
              - name: long-prompts
                when: { min_prompt_tokens: 4000 }
                model: mock/long
              - name: gold
                when: { headers: { x-tier: gold }, teams: [research] }
                model: mock/premium
            semantic:
              routes:
                - name: coding
                  model: mock/coder
                  examples: [Why does my Python code crash with a KeyError, Fix this bug in my JavaScript function]
                - name: poetry
                  model: mock/poet
                  examples: [Write a poem about love, A short verse about the sea]
            default: mock/general
        """;

    [Fact]
    public async Task Explain_shows_each_rule_each_route_score_and_the_header()
    {
        var file = Path.Combine(Path.GetTempPath(), $"route-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, Yaml);
        try
        {
            var (code, output, _) = await CommandLineTests.RunAsync("route", "explain", "--config", file, "--header", "x-tier=gold", "--header", "x-other=1", "--team", "research", "Write a poem about the sea");
            Assert.Equal(0, code);
            Assert.Contains("router auto: 2 rule(s), semantic (hashed, threshold 0.100), default mock/general", output, StringComparison.Ordinal);
            Assert.Matches(@"1\. long-prompts +-> mock/long +no \(min_prompt_tokens does not hold\)", output);
            Assert.Matches(@"2\. gold +-> mock/premium +MATCH", output);
            Assert.Contains("shown only: a rule matched", output, StringComparison.Ordinal);
            Assert.Matches(@"poetry +0\.\d{3}  -> mock/poet +closest example: ""(Write a poem about love|A short verse about the sea)""  <- best, above threshold", output);
            Assert.Contains("x-gatehouse-route: router=auto rule=gold model=mock/premium", output, StringComparison.Ordinal);

            var (_, semantic, _) = await CommandLineTests.RunAsync("route", "explain", "--config", file, "--header", "x-tier=gold", "My Python code crashes with a KeyError");
            Assert.Matches(@"2\. gold +-> mock/premium +no \(teams does not hold\)", semantic);
            Assert.Contains("decision: semantic -> mock/coder", semantic, StringComparison.Ordinal);
            Assert.Matches(@"x-gatehouse-route: router=auto semantic=coding score=0\.\d{3} model=mock/coder", semantic);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Eval_prints_accuracy_per_route_precision_recall_and_latency()
    {
        var root = RouterYaml.RepositoryRoot();
        var data = Path.Combine(Path.GetTempPath(), $"labelled-{Guid.NewGuid():n}.jsonl");
        await File.WriteAllLinesAsync(data, (await File.ReadAllLinesAsync(Path.Combine(root, "eval", "routing", "labelled.jsonl"))).Where((_, i) => i % 10 == 0));
        try
        {
            var (code, output, _) = await CommandLineTests.RunAsync("route", "eval", "--config", Path.Combine(root, "eval", "routing", "routes.yaml"), "--data", data, "--split", "all", "--sweep");
            Assert.Equal(0, code);
            Assert.Contains("router auto, embedder hashed, threshold 0.100, 34 examples (all split of", output, StringComparison.Ordinal);
            Assert.Matches(@"accuracy 0\.\d{3} \(\d+/34\)", output);
            Assert.Matches(@"decision latency: mean \d+\.\d{3} ms", output);
            Assert.Contains("| route | n | predicted | precision | recall | F1 |", output, StringComparison.Ordinal);
            Assert.Matches(@"\| coding \| \d+ \| \d+ \| \d\.\d{3} \| \d\.\d{3} \| \d\.\d{3} \|", output);
            Assert.Contains("| 0.100 |", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(data);
        }
    }

    [Fact]
    public async Task Route_usage_errors_exit_with_2_and_bad_configs_with_1()
    {
        Assert.Equal(2, (await CommandLineTests.RunAsync("route", "explain", "text")).Code);
        var file = Path.Combine(Path.GetTempPath(), $"route-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, "routers:\n  - name: auto\n    default: nowhere\n    rules: []\n");
        try
        {
            var (code, _, errors) = await CommandLineTests.RunAsync("route", "explain", "--config", file, "hello");
            Assert.Equal(1, code);
            Assert.Contains($"{file}:3:14: router 'auto': model 'nowhere' is neither a virtual model", errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
