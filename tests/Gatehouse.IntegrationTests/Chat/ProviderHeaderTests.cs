using Gatehouse.IntegrationTests.Harness;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>
/// Keys and configured headers go upstream as header text. One that reached the gateway without the config check (a
/// configuration built in code here, as an environment variable or an older vault entry would) must not let a line
/// break start a header of its own: the request is refused before anything is sent, and the value is not echoed.
/// </summary>
public sealed class ProviderHeaderTests
{
    private const string Injection = "\r\nX-Injected: 1";

    [Fact]
    public async Task An_openai_key_with_a_line_break_is_not_sent()
    {
        await using var host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
            config.Providers.Single(p => p.Name == "openai").ApiKey = GatewayTestHost.OpenAiKey + Injection);

        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(500, (int)response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_provider_header", error.GetProperty("code").GetString());
        Assert.Contains("Authorization header configured for provider 'openai'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayTestHost.OpenAiKey, json.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(host.OpenAi.Received);
    }

    [Fact]
    public async Task An_anthropic_key_with_a_line_break_is_not_sent_and_the_error_is_in_the_anthropic_dialect()
    {
        await using var host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
            config.Providers.Single(p => p.Name == "claude").ApiKey = GatewayTestHost.AnthropicKey + Injection);

        var (response, json) = await host.Client.PostJsonAsync("/v1/messages", """{"model":"claude/claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Contains("x-api-key header configured for provider 'claude'", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayTestHost.AnthropicKey, json.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(host.Anthropic.Received);
    }

    [Fact]
    public async Task A_configured_header_with_a_line_break_is_not_sent_in_a_stream_either()
    {
        await using var host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
            config.Providers.Single(p => p.Name == "openai").Headers["OpenAI-Organization"] = "org-1" + Injection);

        // Nothing was committed, so the stream's failure is a plain error answer.
        var (response, json) = await host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("invalid_provider_header", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("OpenAI-Organization header", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.OpenAi.Received);
    }
}
