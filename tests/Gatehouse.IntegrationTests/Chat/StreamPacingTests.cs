using System.Text;
using Gatehouse.IntegrationTests.Fakes;
using Gatehouse.IntegrationTests.Harness;
using Gatehouse.Server.Config;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gatehouse.IntegrationTests.Chat;

/// <summary>
/// Streaming stays streaming: the relay writes messages that arrived together in one go, but what the upstream has
/// sent reaches the client before the upstream sends more. The upstream here sends the start of its answer, then holds
/// the rest until the test has read that start through the gateway.
/// </summary>
public sealed class StreamPacingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly HeldStreamUpstream _upstream = new();
    private FakeServer _server = null!;
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeServer.StartAsync(_upstream);
        _host = await GatewayTestHost.StartAsync(configure: (config, _, _) =>
        {
            foreach (var name in (string[])["held", "broken"])
            {
                config.Models.Add(new ModelAliasConfig
                {
                    Name = name,
                    Targets = [new TargetConfig { Provider = "openai", Model = "gpt-4o-mini", BaseUrl = new Uri(_server.Url, $"/{name}/v1").ToString() }],
                });
            }
        });
    }

    public async Task DisposeAsync()
    {
        _upstream.Release.TrySetResult();
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task What_the_upstream_sent_reaches_the_client_while_the_upstream_holds_the_rest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"held","stream":true,"messages":[{"role":"user","content":"Count"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The first three chunks (role, "one", "two") were sent together; the upstream now waits for the test.
        var before = await ReadUntilAsync(reader, "\"two\"").WaitAsync(Patience);
        Assert.False(_upstream.Release.Task.IsCompleted);
        Assert.Contains("\"one\"", before, StringComparison.Ordinal);

        _upstream.Release.SetResult();
        var after = await reader.ReadToEndAsync().WaitAsync(Patience);

        Assert.Contains("\"three\"", after, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", after, StringComparison.Ordinal);
        Assert.DoesNotContain("\"usage\"", before + after, StringComparison.Ordinal); // the client did not ask for usage
    }

    [Fact]
    public async Task Chunks_that_arrived_with_a_malformed_one_still_reach_the_client_before_the_error_event()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"broken","stream":true,"messages":[{"role":"user","content":"Count"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Patience);

        Assert.Equal(200, (int)response.StatusCode);
        var two = body.IndexOf("\"two\"", StringComparison.Ordinal);
        var error = body.IndexOf("upstream_malformed_response", StringComparison.Ordinal);
        Assert.True(body.IndexOf("\"one\"", StringComparison.Ordinal) is > 0 and var one && one < two, body);
        Assert.True(two > 0 && error > two, body);
    }

    private static async Task<string> ReadUntilAsync(StreamReader reader, string marker)
    {
        var text = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return text.ToString();
            }
        }

        throw new InvalidOperationException($"The stream ended before {marker}: {text}");
    }

    /// <summary>
    /// An OpenAI-style upstream. Under /held it streams three chunks, waits for <see cref="Release"/>, then finishes;
    /// under /broken it sends three chunks and a malformed one in a single write.
    /// </summary>
    private sealed class HeldStreamUpstream : IFakeUpstream
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<RecordedRequest> Received { get; } = [];

        public async Task HandleAsync(HttpContext context)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream";
            var start = Chunk("""{"role":"assistant","content":""}""", null) + Chunk("""{"content":"one"}""", null) + Chunk("""{"content":"two"}""", null);
            if (context.Request.Path.StartsWithSegments("/broken", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync(start + "data: {\"choices\":[{\"delta\":{\"content\":\"cut\n\n");
                return;
            }

            await context.Response.WriteAsync(start);
            await context.Response.Body.FlushAsync();
            await Release.Task.WaitAsync(Patience);
            await context.Response.WriteAsync(
                Chunk("""{"content":"three"}""", null) + Chunk("{}", "\"stop\"")
                + """data: {"id":"chatcmpl-held","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""" + "\n\n"
                + "data: [DONE]\n\n");
        }

        private static string Chunk(string delta, string? finish) =>
            $$"""data: {"id":"chatcmpl-held","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finish ?? "null"}}}]}""" + "\n\n";
    }
}
