using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>Load-balancing strategies of virtual models, observed through the x-gatehouse-model header.</summary>
public sealed class RoutingStrategyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(time: _time, configure: (config, _, _) =>
    {
        config.Models.Add(Alias("quick", "lowest_latency", ("openai", "gpt-4o-mini", 1), ("mock", "gatehouse-mock-1", 1)));
        config.Models.Add(Alias("rr", "round_robin", ("mock", "a", 1), ("mock", "b", 1), ("mock", "c", 1)));
        config.Models.Add(Alias("weighted", "weighted", ("mock", "light", 1), ("mock", "heavy", 3)));
        config.Models.Add(Alias("cheap", "lowest_cost", ("mock", "gatehouse-mock-1", 1), ("openai", "gpt-4o-mini", 1)));
        config.Models.Add(Alias("spread", "least_in_flight", ("openai", "gpt-4o-mini", 1), ("mock", "gatehouse-mock-1", 1)));
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Round_robin_rotates_through_the_targets()
    {
        var served = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            served.Add(await ServedByAsync("rr"));
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], served);
    }

    [Fact]
    public async Task Weighted_random_follows_the_weights()
    {
        var heavy = 0;
        const int Requests = 400;
        for (var i = 0; i < Requests; i++)
        {
            heavy += await ServedByAsync("weighted") == "heavy" ? 1 : 0;
        }

        // Expected 300 of 400 (weights 1:3); five standard deviations is ±43.
        Assert.InRange(heavy, 257, 343);
    }

    [Fact]
    public async Task Lowest_cost_prefers_the_cheaper_model_from_the_catalog()
    {
        // gpt-4o-mini costs $0.15 + $0.60 per million tokens, the mock's nominal prices $1 + $2.
        Assert.Equal("gpt-4o-mini", await ServedByAsync("cheap"));
        Assert.Equal("gpt-4o-mini", await ServedByAsync("cheap"));
    }

    [Fact]
    public async Task Lowest_latency_tries_each_target_then_prefers_the_fastest()
    {
        // On the gateway's clock the fake OpenAI takes 50 ms to answer; the in-process mock takes no time.
        _host.OpenAi.OnRequest = () => _time.Advance(TimeSpan.FromMilliseconds(50));
        // Untried targets go first, so both are measured within the first requests (exploration may reorder one of them).
        var tried = new HashSet<string>();
        for (var i = 0; i < 4 && tried.Count < 2; i++)
        {
            tried.Add(await ServedByAsync("quick"));
        }

        Assert.Equal(["gatehouse-mock-1", "gpt-4o-mini"], tried.Order(StringComparer.Ordinal));
        var mock = 0;
        for (var i = 0; i < 50; i++)
        {
            mock += await ServedByAsync("quick") == "gatehouse-mock-1" ? 1 : 0;
        }

        // 5 % exploration sends a few elsewhere; 40 of 50 leaves room for eight explorations.
        Assert.InRange(mock, 40, 50);
    }

    [Fact]
    public async Task Least_in_flight_sends_to_the_target_with_fewer_requests_under_way()
    {
        _host.OpenAi.HangNext();
        var hung = _host.Client.PostAsync("/v1/chat/completions", Body("spread"));
        await _host.OpenAi.WaitForRequestsAsync(1);

        Assert.Equal("gatehouse-mock-1", await ServedByAsync("spread"));
        Assert.Equal("gatehouse-mock-1", await ServedByAsync("spread"));
        _ = hung;
    }

    [Fact]
    public async Task An_unknown_strategy_is_a_config_error()
    {
        var ex = Assert.Throws<ConfigException>(() => new ConfigLoader(new EnvInterpolator(_ => null)).Load(
            "providers:\n  - { name: mock, kind: mock }\nmodels:\n  - name: x\n    strategy: fastest\n    targets:\n      - { provider: mock, model: m, weight: -1 }\n",
            "strategy.yaml"));
        Assert.Contains(ex.Errors, e => e.ToString().StartsWith("strategy.yaml:5:15: 'models[0].strategy' must be one of ordered, weighted", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Message.Contains("'models[0].targets[0].weight' must be a positive number", StringComparison.Ordinal));
    }

    private async Task<string> ServedByAsync(string model)
    {
        var response = await _host.Client.PostAsync("/v1/chat/completions", Body(model));
        Assert.Equal(200, (int)response.StatusCode);
        return response.Header("x-gatehouse-model");
    }

    private static StringContent Body(string model) =>
        new($$"""{"model":"{{model}}","messages":[{"role":"user","content":"x"}]}""", System.Text.Encoding.UTF8, "application/json");

    private static ModelAliasConfig Alias(string name, string strategy, params (string Provider, string Model, double Weight)[] targets) => new()
    {
        Name = name,
        Strategy = strategy,
        Targets = [.. targets.Select(t => new TargetConfig { Provider = t.Provider, Model = t.Model, Weight = t.Weight })],
    };
}
