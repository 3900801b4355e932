using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>Both client dialects served by AWS Bedrock (Converse and ConverseStream), SigV4-signed, errors mapped.</summary>
public sealed class BedrockTests : IAsyncLifetime
{
    private const string AccessKey = "AKIDFAKEBEDROCK01";
    private const string Secret = "fake/bedrock+secret-0123456789";
    private const string Model = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private const string PlaceFormat = """{"type":"json_schema","json_schema":{"name":"place","schema":{"type":"object","properties":{"city":{"type":"string"}}}}}""";
    private const string Tools = """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";

    private readonly FakeBedrock _bedrock = new(AccessKey, Secret, "eu-west-1", sessionToken: "session-token-1", time: TimeProvider.System);
    private FakeServer _bedrockServer = null!;
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _bedrockServer = await FakeServer.StartAsync(_bedrock);
        _host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
        {
            config.Providers.Add(Provider("bedrock", Secret));
            config.Providers.Add(Provider("bedrock-badkey", "not-the-secret"));
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bedrockServer.DisposeAsync();
    }

    [Fact]
    public async Task Openai_request_is_served_by_bedrock_converse()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$"""{"model":"bedrock/{{Model}}","max_tokens":64,"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Hello Bedrock"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var request = _bedrock.Received[^1];
        Assert.Equal("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", request.PathAndQuery);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("session-token-1", request.Headers["x-amz-security-token"]);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("Be terse.", body.GetProperty("system")[0].GetProperty("text").GetString());
        Assert.Equal(64, body.GetProperty("inferenceConfig").GetProperty("maxTokens").GetInt32());
        Assert.Equal("Bedrock says: Hello Bedrock", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(4, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_bedrock_answer_reaches_an_anthropic_client_as_message_events()
    {
        var (response, events) = await _host.Client.PostSseAsync("/v1/messages",
            $$"""{"model":"bedrock/{{Model}}","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Stream it"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream", _bedrock.Received[^1].PathAndQuery);
        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("message_stop", events[^1].Event);
        var text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Bedrock says: Stream it", text);
        var delta = JsonDocument.Parse(events.Single(e => e.Event == "message_delta").Data).RootElement;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Required_tool_is_called_and_its_result_goes_back_as_a_tool_result()
    {
        var (_, first) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$"""{"model":"bedrock/{{Model}}","tool_choice":"required","tools":{{Tools}},"messages":[{"role":"user","content":"Weather?"}]}""");
        var call = first.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", first.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var sent = JsonDocument.Parse(_bedrock.Received[^1].Body).RootElement.GetProperty("toolConfig");
        Assert.Equal("""{"any":{}}""", sent.GetProperty("toolChoice").GetRawText());

        var (second, answer) = await _host.Client.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"bedrock/{{Model}}","tools":{{Tools}},"messages":[{"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{{call.GetRawText()}}]},
              {"role":"tool","tool_call_id":"{{call.GetProperty("id").GetString()}}","content":"sunny"}]}
            """);

        Assert.Equal(200, (int)second.StatusCode);
        var messages = JsonDocument.Parse(_bedrock.Received[^1].Body).RootElement.GetProperty("messages");
        Assert.Equal(call.GetProperty("id").GetString(), messages[1].GetProperty("content")[0].GetProperty("toolUse").GetProperty("toolUseId").GetString());
        Assert.Equal("sunny", messages[2].GetProperty("content")[0].GetProperty("toolResult").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("Bedrock says: Weather?", answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Streamed_tool_call_reaches_an_openai_client_as_tool_call_deltas()
    {
        var (response, events) = await _host.Client.PostSseAsync("/v1/chat/completions",
            $$$"""{"model":"bedrock/{{{Model}}}","stream":true,"tool_choice":{"type":"function","function":{"name":"get_weather"}},"tools":{{{Tools}}},"messages":[{"role":"user","content":"Weather?"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.Take(events.Count - 1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        var arguments = string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function"))
            .Select(f => f.TryGetProperty("arguments", out var a) ? a.GetString() : string.Empty));
        Assert.Equal("""{"city":"Paris"}""", arguments);
        Assert.Contains(chunks, c => c.GetProperty("choices").GetArrayLength() > 0
            && c.GetProperty("choices")[0].TryGetProperty("finish_reason", out var finish) && finish.GetString() == "tool_calls");
    }

    [Fact]
    public async Task Json_schema_output_is_answered_through_the_forced_reserved_tool()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$"""{"model":"bedrock/{{Model}}","response_format":{{PlaceFormat}},"messages":[{"role":"user","content":"Where?"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("""{"city":"Paris"}""", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var toolChoice = JsonDocument.Parse(_bedrock.Received[^1].Body).RootElement.GetProperty("toolConfig").GetProperty("toolChoice");
        Assert.Equal("""{"tool":{"name":"gatehouse_json_response"}}""", toolChoice.GetRawText());
    }

    [Fact]
    public async Task Exception_frame_before_any_content_becomes_a_rate_limit_error()
    {
        _bedrock.ExceptionFrameNext = "throttlingException";

        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$"""{"model":"bedrock/{{Model}}","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("upstream_rate_limited", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Too many requests", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_answer_maps_to_429_in_the_anthropic_dialect()
    {
        _bedrock.FailNext = 429;

        var (response, json) = await _host.Client.PostJsonAsync("/v1/messages",
            $$"""{"model":"bedrock/{{Model}}","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("rate_limit_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("ThrottlingException", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_by_bedrock_and_reported_without_its_details()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$"""{"model":"bedrock-badkey/{{Model}}","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(502, (int)response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Equal("upstream_auth_failed", error.GetProperty("code").GetString());
        Assert.Contains("SignatureDoesNotMatch", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("signature we calculated", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_urls_are_refused_before_reaching_bedrock()
    {
        var before = _bedrock.Received.Count;

        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions",
            $$$"""{"model":"bedrock/{{{Model}}}","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("unsupported_image_url", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, _bedrock.Received.Count);
    }

    private ProviderConfig Provider(string name, string secret) => new()
    {
        Name = name,
        Kind = "bedrock",
        Region = "eu-west-1",
        BaseUrl = _bedrockServer.Url.ToString(),
        AccessKeyId = AccessKey,
        SecretAccessKey = secret,
        SessionToken = "session-token-1",
    };
}
