using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Bad input and failing upstreams: exact status, an error body in the client's dialect, no leaks.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
    {
        config.Server.MaxBodyBytes = 4096;
        config.Providers.Add(new Gatehouse.Server.Config.ProviderConfig { Name = "down", Kind = "openai-compatible", BaseUrl = "http://127.0.0.1:1/v1", ApiKey = "x" });
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("{not json", "invalid_json", null)]
    [InlineData("[]", "invalid_request", null)]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "invalid_request", "model")]
    [InlineData("""{"model":"smart"}""", "invalid_request", "messages")]
    [InlineData("""{"model":"smart","messages":[{"role":"wizard","content":"x"}]}""", "invalid_request", "messages[0].role")]
    [InlineData("""{"model":"smart","messages":[{"role":"user","content":42}]}""", "invalid_request", "messages[0].content")]
    [InlineData("""{"model":"smart","messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", "invalid_request", "temperature")]
    [InlineData("""{"model":"smart","messages":[{"role":"user","content":"x"}],"max_tokens":0}""", "invalid_request", "max_tokens")]
    [InlineData("""{"model":"smart","messages":[{"role":"tool","content":"x"}]}""", "invalid_request", "messages[0].tool_call_id")]
    [InlineData("""{"model":"smart","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"bad name!"}}]}""", "invalid_request", "tools[0].function.name")]
    public async Task Invalid_openai_requests_get_400_with_the_parameter_named(string body, string code, string? param)
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal(400, (int)response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Empty(_host.OpenAi.Received);
    }

    [Theory]
    [InlineData("""{"model":"claude/x","messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"claude/x","max_tokens":5,"messages":[{"role":"system","content":"x"}]}""", "messages.0.role")]
    [InlineData("""{"model":"claude/x","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"b","input":{}}]}]}""", "messages.0.content.0")]
    public async Task Invalid_anthropic_requests_get_anthropic_error_bodies(string body, string mentioned)
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/messages", body);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentioned, json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_model_gets_404_with_close_names()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"smrt","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("model_not_found", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Did you mean: smart", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var (anthropic, anthropicJson) = await _host.Client.PostJsonAsync("/v1/messages", """{"model":"nope/none","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(404, (int)anthropic.StatusCode);
        Assert.Equal("not_found_error", anthropicJson.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Body_over_the_limit_gets_413()
    {
        var big = $$"""{"model":"smart","messages":[{"role":"user","content":"{{new string('x', 5000)}}"}]}""";
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", big);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("request_too_large", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Wrong_method_and_unknown_path_get_405_and_404()
    {
        var get = await _host.Client.GetAsync("/v1/chat/completions");
        Assert.Equal(405, (int)get.StatusCode);
        Assert.Equal("method_not_allowed", JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        var missing = await _host.Client.PostAsync("/v2/whatever", null);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task Upstream_5xx_becomes_502_and_upstream_4xx_keeps_its_status()
    {
        _host.OpenAi.FailNext(500, """{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}""");
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("HTTP 500", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        _host.OpenAi.FailNext(400, """{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}""");
        var (bad, badJson) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal("context_length_exceeded", badJson.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("maximum context length", badJson.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_auth_failure_is_reported_without_the_providers_message()
    {
        _host.OpenAi.FailNext(401, """{"error":{"message":"Incorrect API key provided: sk-test-op**********6789.","type":"invalid_request_error","code":"invalid_api_key"}}""");
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(502, (int)response.StatusCode);
        var text = json.GetRawText();
        Assert.Equal("upstream_auth_failed", json.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("sk-test", text, StringComparison.Ordinal);
        Assert.DoesNotContain("6789", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_429_is_passed_on_with_retry_after()
    {
        _host.Anthropic.FailNext(429, """{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}""", ("retry-after", "17"));
        var (response, json) = await _host.Client.PostJsonAsync("/v1/messages", """{"model":"claude/claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("17", response.Header("retry-after"));
        Assert.Equal("rate_limit_error", json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unreachable_provider_gets_503()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"down/m","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("upstream_unreachable", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Malformed_upstream_answer_gets_502()
    {
        _host.OpenAi.Enqueue(http =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("""{"choices":"nope"}""");
        });
        var (response, json) = await _host.Client.PostJsonAsync("/v1/messages", """{"model":"openai/gpt-4o-mini","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("api_error", json.GetProperty("error").GetProperty("type").GetString());
    }
}
