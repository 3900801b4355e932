using Gatehouse.Server.Runtime;
using Gatehouse.Server.Telemetry;
using Xunit;

namespace Gatehouse.IntegrationTests.Observability;

/// <summary>
/// Clients choose model names for providers without a model list: the state and metrics series kept per model stay
/// bounded however many names they send.
/// </summary>
public sealed class BoundedStateTests
{
    [Fact]
    public void Models_past_the_label_limit_are_counted_under_other()
    {
        var metrics = new GatewayMetrics { MaxModelLabels = 2 };
        foreach (var model in new[] { "a", "b", "c", "d", "a" })
        {
            metrics.RequestFinished("/v1/chat/completions", "mock", model, 200, 0.01, null);
            metrics.Usage("mock", model, 1, 1, 0, 0.001m);
            metrics.UpstreamError("mock", model, "upstream_error");
        }

        var text = metrics.Render();

        Assert.Contains("model=\"a\",status=\"200\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("model=\"b\",status=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("model=\"other\",status=\"200\"} 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("model=\"c\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("model=\"d\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_past_the_tracking_limit_get_a_state_that_is_not_kept()
    {
        var states = new TargetStates(TimeProvider.System) { MaxTracked = 2 };

        var first = states.For("mock/a");
        states.For("mock/b");
        var overflow = states.For("mock/c");

        Assert.Same(first, states.For("mock/a"));
        Assert.NotSame(overflow, states.For("mock/c"));
        Assert.Equal(["mock/a", "mock/b"], states.All.Select(s => s.Key).Order(StringComparer.Ordinal));
    }
}
