using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>Active health checks on fake time: a target that fails them is skipped until it passes again.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(
        configure: (config, _, _) => config.Models.Add(ReliabilityTests.Group(
            "checked", g => g.HealthCheck = new HealthCheckConfig { Interval = TimeSpan.FromSeconds(10), UnhealthyAfter = 1, HealthyAfter = 1 }, "openai", "claude")),
        time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_target_that_fails_its_health_checks_is_skipped_until_it_passes()
    {
        _host.OpenAi.FailNext(500, """{"error":{"message":"down","type":"server_error"}}""");
        await AdvanceUntilAsync(async () => !await HealthyAsync("checked", 0));
        Assert.Contains(_host.Anthropic.Received, r => r.Body.Length > 0 && JsonDocument.Parse(r.Body).RootElement.GetProperty("max_tokens").GetInt32() == 1);

        var (response, _) = await ChatAsync("checked");
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("unhealthy", (await _host.RoutingLogAsync(response)).GetProperty("skipped")[0].GetProperty("reason").GetString());

        _time.Advance(TimeSpan.FromSeconds(9));
        await AdvanceUntilAsync(() => HealthyAsync("checked", 0));
        Assert.Equal("openai", (await ChatAsync("checked")).Response.Header("x-gatehouse-provider"));
    }

    /// <summary>
    /// Moves the clock a second at a time (the checker ticks every second; its timer starts when the host has) until
    /// <paramref name="condition"/> holds, giving the checks each tick starts time to finish.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition)
    {
        for (var second = 0; second < 9; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(1))
            {
                if (await condition())
                {
                    return;
                }

                await Task.Delay(20);
            }
        }

        Assert.Fail("the health check verdict did not change within 9 s of checks");
    }

    private Task<(HttpResponseMessage Response, JsonElement Json)> ChatAsync(string model) =>
        _host.Client.PostJsonAsync("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""");

    private async Task<bool> HealthyAsync(string group, int target)
    {
        var table = JsonDocument.Parse(await _host.Client.GetStringAsync("/admin/api/routing")).RootElement;
        var model = table.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == group);
        return model.GetProperty("targets")[target].GetProperty("healthy").GetBoolean();
    }
}
