using Gatehouse.Embeddings.MiniLM;
using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Routing;

/// <summary>The local MiniLM sentence model, loaded for real from the package (one test: loading costs about two seconds).</summary>
public sealed class MiniLmRoutingTests
{
    [Fact]
    public async Task The_minilm_embedder_routes_by_meaning_where_no_word_is_shared_with_the_examples()
    {
        MiniLmEmbedder.Register();
        await using var host = await GatewayTestHost.StartAsync(configure: (config, _, _) => RouterYaml.AddTo(config, SemanticRoutingTests.Router("minilm", threshold: "0.3")));

        Assert.StartsWith("router=topics semantic=poetry", await SemanticRoutingTests.RouteAsync(host, "topics", "Compose some rhyming lines about the moon"), StringComparison.Ordinal);
        Assert.StartsWith("router=topics semantic=coding", await SemanticRoutingTests.RouteAsync(host, "topics", "My program segfaults when I free the same pointer twice"), StringComparison.Ordinal);
        Assert.StartsWith("router=topics default model=mock/general best=", await SemanticRoutingTests.RouteAsync(host, "topics", "What time does the bakery open on Sundays?"), StringComparison.Ordinal);
    }
}
