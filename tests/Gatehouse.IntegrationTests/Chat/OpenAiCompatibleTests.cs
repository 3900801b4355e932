using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Azure OpenAI deployments and OpenAI-compatible presets, against the fake OpenAI.</summary>
public sealed class OpenAiCompatibleTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(configure: (config, openAi, _) =>
    {
        config.Providers.Add(new ProviderConfig { Name = "azure", Kind = "azure", BaseUrl = new Uri(openAi, "/openai").ToString(), ApiKey = GatewayTestHost.OpenAiKey, ApiVersion = "2024-10-21" });
        config.Providers.Add(new ProviderConfig { Name = "groq", Kind = "groq", BaseUrl = new Uri(openAi, "/openai/v1").ToString(), ApiKey = GatewayTestHost.OpenAiKey });
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Azure_deployment_is_called_with_api_version_and_api_key_header()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            """{"model":"azure/my-gpt4o","max_tokens":20,"messages":[{"role":"user","content":"Hi Azure"}]}""");
        Assert.Equal(200, (int)response.StatusCode);
        var request = _host.OpenAi.Last();
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21", request.PathAndQuery);
        Assert.Equal(GatewayTestHost.OpenAiKey, request.Headers["api-key"]);
        Assert.False(request.Headers.ContainsKey("authorization"));
        Assert.Equal("OpenAI says: Hi Azure", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Azure_embeddings_use_the_deployment_url()
    {
        var (response, _) = await _host.Client.PostJsonAsync("/v1/embeddings", """{"model":"azure/embed-small","input":"x"}""");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/openai/deployments/embed-small/embeddings?api-version=2024-10-21", _host.OpenAi.Last().PathAndQuery);
    }

    [Fact]
    public async Task Preset_provider_speaks_openai_with_bearer_auth_and_is_priced_from_its_catalog()
    {
        var (response, _) = await _host.Client.PostJsonAsync("/v1/messages",
            """{"model":"groq/llama-3.1-8b-instant","max_tokens":20,"messages":[{"role":"user","content":"Hi Groq"}]}""");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/openai/v1/chat/completions", _host.OpenAi.Last().PathAndQuery);
        Assert.Equal($"Bearer {GatewayTestHost.OpenAiKey}", _host.OpenAi.Last().Headers["authorization"]);
        Assert.Equal(20, _host.OpenAi.LastBody().GetProperty("max_tokens").GetInt32());

        // llama-3.1-8b-instant on Groq: 8 uncached × $0.05 + 3 cached (no cache price: billed as input) × $0.05 + 7 × $0.08, per million.
        Assert.Equal("0.00000111", response.Header("x-gatehouse-cost-usd"));
    }
}
