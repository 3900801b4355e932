using System.Text;
using System.Text.Json;
using Gatehouse.IntegrationTests.Harness;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>
/// Input that is unusual rather than plainly wrong, from a client or from a provider: text that is not Unicode, a
/// control character in a model name, a stream that ends before its usage, a provider's error inside a stream, a
/// chunked body past the limit. Each gets a clear answer in the client's dialect and a truthful request log record.
/// </summary>
public sealed class UnusualInputTests : IAsyncLifetime
{
    private const string ChunkPrefix = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":";

    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(configure: (config, _, _) => config.Server.MaxBodyBytes = 4096);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_stream_cut_before_its_usage_is_charged_an_estimate_not_nothing()
    {
        _host.OpenAi.Enqueue(async http =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(ChunkPrefix + "{\"role\":\"assistant\",\"content\":\"Partial answer\"},\"finish_reason\":null}]}\n\n");
            await http.Response.Body.FlushAsync();
            await Task.Delay(1000);
            http.Abort();
        });

        var (response, events) = await _host.Client.PostSseAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(events, e => e.Data.Contains("Partial answer", StringComparison.Ordinal));
        var log = await _host.SingleLogAsync();
        Assert.Equal("upstream_stream_interrupted", log.ErrorCode);

        // The prompt estimate (8 per request, 8 per message, a token per three characters of "Hi") and
        // "Partial answer" at four characters a token.
        Assert.Equal(17, log.InputTokens);
        Assert.Equal(4, log.OutputTokens);
        Assert.True(log.CostUsd > 0m, $"cost {log.CostUsd}");
    }

    [Fact]
    public async Task A_finished_stream_whose_provider_reports_no_usage_is_charged_an_estimate()
    {
        // An OpenAI-compatible server that ignores stream_options.include_usage.
        _host.OpenAi.Enqueue(async http =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(ChunkPrefix + "{\"role\":\"assistant\",\"content\":\"Hello there, friend\"},\"finish_reason\":null}]}\n\n");
            await http.Response.WriteAsync(ChunkPrefix + "{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        });

        var (response, _) = await _host.Client.PostSseAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var log = await _host.SingleLogAsync();
        Assert.Null(log.ErrorCode);
        Assert.Equal(17, log.InputTokens);
        Assert.Equal(5, log.OutputTokens);
    }

    [Fact]
    public async Task A_finished_stream_keeps_the_usage_its_provider_reported()
    {
        var (response, _) = await _host.Client.PostSseAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var log = await _host.SingleLogAsync();
        Assert.Equal(Fakes.FakeOpenAi.PromptTokens, log.InputTokens + log.CachedInputTokens);
        Assert.Equal(Fakes.FakeOpenAi.CompletionTokens, log.OutputTokens);
    }

    [Fact]
    public async Task A_stream_without_an_end_marker_keeps_the_usage_its_provider_reported()
    {
        // Gemini ends a stream by closing it: the chunk with the finish reason carries the final usage.
        var (response, _) = await _host.Client.PostSseAsync("/v1/chat/completions", """{"model":"gemini/gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Stream please"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var log = await _host.SingleLogAsync();
        Assert.Null(log.ErrorCode);

        // "Gemini says: Stream please" is four words for the fake, seven tokens at four characters a token.
        Assert.Equal(4, log.OutputTokens);
    }

    [Fact]
    public async Task A_stream_closed_before_its_final_usage_is_charged_its_output_not_the_early_count()
    {
        // A server that reports usage in every chunk (vLLM's continuous usage stats) closes cleanly after one chunk,
        // without a finish reason or [DONE]. Translated for an Anthropic client, the decoder makes up a finish to close
        // the message; that finish is not the upstream's, so the early count (1 output token) is not taken as final.
        _host.OpenAi.Enqueue(async http =>
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(ChunkPrefix + "{\"role\":\"assistant\",\"content\":\"Partial answer here\"},\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":1,\"total_tokens\":12}}\n\n");
        });

        var (response, events) = await _host.Client.PostSseAsync("/v1/messages", """{"model":"openai/gpt-4o-mini","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(events, e => e.Data.Contains("Partial answer here", StringComparison.Ordinal));
        var log = await _host.SingleLogAsync();
        Assert.Equal(11, log.InputTokens);

        // "Partial answer here" at four characters a token, not the one token the chunk counted so far.
        Assert.Equal(5, log.OutputTokens);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"openai/gpt-4o-mini\u0000","messages":[{"role":"user","content":"Hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"openai/gpt\n4o","messages":[{"role":"user","content":"Hi"}]}""")]
    [InlineData("/v1/messages", """{"model":"claude/claude\u0000","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}""")]
    [InlineData("/v1/embeddings", """{"model":"openai/text-embedding-3-small\u0007","input":"Hi"}""")]
    public async Task A_model_name_with_a_control_character_is_refused_before_it_reaches_a_store(string path, string body)
    {
        var (response, json) = await _host.Client.PostJsonAsync(path, body);

        Assert.Equal(400, (int)response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Contains("control characters", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        if (path == "/v1/messages")
        {
            Assert.Equal("error", json.GetProperty("type").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }
        else
        {
            Assert.Equal("model", error.GetProperty("param").GetString());
        }

        Assert.Empty(_host.OpenAi.Received);
        Assert.Empty(_host.Anthropic.Received);
    }

    [Fact]
    public async Task A_model_name_over_256_characters_is_refused()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", $$"""{"model":"mock/{{new string('m', 300)}}","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("model", json.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("at most 256 characters", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_embeddings_body_with_an_unpaired_surrogate_is_a_400()
    {
        var (response, json) = await _host.Client.PostJsonAsync("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":"\ud800"}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_json", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_upstream_error_whose_text_is_not_unicode_is_a_provider_failure_and_fails_over()
    {
        _host.OpenAi.FailNext(500, """{"error":{"message":"bad \ud800 text","type":"server_error"}}""");

        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("claude", response.Header("x-gatehouse-provider"));
        Assert.Equal("assistant", json.GetProperty("choices")[0].GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_upstream_error_whose_text_is_not_unicode_gets_a_502_without_its_text()
    {
        _host.OpenAi.Enqueue(async http =>
        {
            http.Response.StatusCode = 500;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync("{\"error\":{\"message\":\"bad "u8.ToArray().Concat(new byte[] { 0xff, 0xfe }).Concat(" text\"}}"u8.ToArray()).ToArray());
        });

        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("upstream_error", json.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("no details", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retry-after-ms", "NaN")]
    [InlineData("retry-after-ms", "-1")]
    [InlineData("x-ratelimit-reset-requests", "1e400s")]
    public async Task A_rate_limit_with_a_nonsense_wait_is_answered_without_a_500_or_a_hang(string header, string value)
    {
        _host.OpenAi.FailNext(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""", (header, value));

        var (response, json) = await _host.Client.PostJsonAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.True((int)response.StatusCode is 200 or 429, $"{(int)response.StatusCode} {json}");
    }

    [Fact]
    public async Task Tool_arguments_with_an_unpaired_surrogate_go_to_anthropic_as_an_empty_object()
    {
        var (response, _) = await _host.Client.PostJsonAsync("/v1/chat/completions", """
            {"model":"claude/claude-sonnet-4-5","messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"\\ud800\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}
            """);

        Assert.Equal(200, (int)response.StatusCode);
        var sent = _host.Anthropic.LastBody().GetProperty("messages")[1].GetProperty("content")[0];
        Assert.Equal("tool_use", sent.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Object, sent.GetProperty("input").ValueKind);
        Assert.Empty(sent.GetProperty("input").EnumerateObject());
    }

    [Fact]
    public async Task A_provider_error_inside_a_translated_stream_ends_it_with_one_masked_error_event()
    {
        EnqueueStreamThatFailsWithAKeyInItsError();

        var (response, events) = await _host.Client.PostSseAsync("/v1/messages", """{"model":"openai/gpt-4o-mini","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var error = Assert.Single(events, e => e.Event == "error");
        Assert.Equal("error", events[^1].Event);
        Assert.Contains("[redacted]", error.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Data.Contains("sk-abcdef", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_error_inside_a_forwarded_stream_is_not_forwarded_raw()
    {
        EnqueueStreamThatFailsWithAKeyInItsError();

        var (response, events) = await _host.Client.PostSseAsync("/v1/chat/completions", """{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(events, e => e.Data.Contains("Partial", StringComparison.Ordinal));
        var error = Assert.Single(events, e => e.Data.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Contains("upstream_stream_error", error.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Data.Contains("sk-abcdef", StringComparison.Ordinal));
        Assert.Equal("[DONE]", events[^1].Data);
        var log = await _host.SingleLogAsync();
        Assert.Equal("upstream_stream_error", log.ErrorCode);
        Assert.DoesNotContain("sk-abcdef", log.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_413_not_500()
    {
        var body = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 64 * 1024) + "\"}]}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _host.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(413, (int)response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("request_too_large", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_that_ends_before_its_content_length_is_not_a_500()
    {
        // Kestrel refuses the body itself (BadHttpRequestException): the client sent fewer bytes than it announced
        // and closed its side. What it gets back, if anything, is the gateway's error; the log never says 500.
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(_host.BaseUrl.Host, _host.BaseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /v1/messages HTTP/1.1\r\nHost: {_host.BaseUrl.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"model\":"));
        client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        using var reader = new StreamReader(stream);
        string answer;
        try
        {
            answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
            answer = string.Empty; // Kestrel may reset a connection whose request body broke off
        }

        var log = await _host.SingleLogAsync();
        Assert.True(log.Status is 400 or 499, $"status {log.Status}, answer: {answer}");
        Assert.NotEqual("internal_error", log.ErrorCode);
        if (answer.Length > 0)
        {
            Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
            Assert.Contains("invalid_body", answer, StringComparison.Ordinal);
            Assert.Contains("\"type\":\"error\"", answer, StringComparison.Ordinal);
        }
    }

    // A provider that starts an answer, then reports an error event whose message quotes a key.
    private void EnqueueStreamThatFailsWithAKeyInItsError() => _host.OpenAi.Enqueue(async http =>
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.WriteAsync(ChunkPrefix + "{\"role\":\"assistant\",\"content\":\"Partial\"},\"finish_reason\":null}]}\n\n");
        await http.Response.WriteAsync("data: {\"error\":{\"message\":\"Incorrect API key provided: sk-abcdef1234567890\"}}\n\n");
    });
}
