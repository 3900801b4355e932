using System.Text;
using System.Text.Json;
using Gatehouse.IntegrationTests.Fakes;

namespace Gatehouse.IntegrationTests.Guardrails;

/// <summary>Scripted OpenAI streamed answers whose text arrives in exactly the given pieces.</summary>
public static class ScriptedStreams
{
    public static void EnqueueOpenAiText(FakeOpenAi fake, params string[] pieces) => fake.Enqueue(async http =>
    {
        static string Chunk(string delta, string finish = "null") =>
            $$"""data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]}""" + "\n\n";
        var events = new List<string> { Chunk("""{"role":"assistant","content":""}""") };
        events.AddRange(pieces.Select(p => Chunk($$"""{"content":{{JsonSerializer.Serialize(p)}}}""")));
        events.Add(Chunk("{}", "\"stop\""));
        events.Add("data: [DONE]\n\n");
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        foreach (var e in events)
        {
            await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(e));
            await http.Response.Body.FlushAsync();
        }
    });

    /// <summary>The text of an OpenAI stream's content deltas, joined.</summary>
    public static string OpenAiText(List<(string? Event, string Data)> events) => string.Concat(events
        .Where(e => e.Data.StartsWith('{') && e.Data.Contains("\"choices\"", StringComparison.Ordinal))
        .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices"))
        .Where(c => c.GetArrayLength() > 0 && c[0].GetProperty("delta").TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String)
        .Select(c => c[0].GetProperty("delta").GetProperty("content").GetString()));

    /// <summary>The text of an Anthropic stream's text deltas, joined.</summary>
    public static string AnthropicText(List<(string? Event, string Data)> events) => string.Concat(events
        .Where(e => e.Event == "content_block_delta")
        .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta"))
        .Where(d => d.GetProperty("type").GetString() == "text_delta")
        .Select(d => d.GetProperty("text").GetString()));
}
