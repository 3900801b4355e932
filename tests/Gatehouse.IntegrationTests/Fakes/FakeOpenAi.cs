using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>
/// A fake of the OpenAI API (Chat Completions and Embeddings) that follows the published wire format:
/// Bearer auth, chat.completion and chat.completion.chunk objects, tool calls, stream usage, error bodies.
/// Replies "OpenAI says: {last user text}"; calls the first tool with {"city":"Paris"} when tool_choice requires it.
/// Usage is fixed: 11 prompt tokens (3 of them cached), 7 completion tokens.
/// </summary>
public sealed class FakeOpenAi : FakeUpstreamBase
{
    public const int PromptTokens = 11;
    public const int CachedTokens = 3;
    public const int CompletionTokens = 7;

    private readonly string _apiKey;

    public FakeOpenAi(string apiKey) => _apiKey = apiKey;

    /// <summary>Computes each embeddings input's vector; null answers fixed three-dimensional vectors by input index.</summary>
    public Func<string, float[]>? Embed { get; set; }

    /// <summary>Further keys this fake account accepts (a team's own key).</summary>
    public HashSet<string> OtherKeys { get; } = [];

    protected override async Task AnswerAsync(HttpContext http, byte[] body)
    {
        // Azure OpenAI: /openai/deployments/{deployment}/..., an api-key header and a required api-version.
        var path = http.Request.Path.Value!;
        var azure = path.Contains("/deployments/", StringComparison.Ordinal);
        if (azure && string.IsNullOrEmpty(http.Request.Query["api-version"]))
        {
            await WriteJsonAsync(http, 404, """{"error":{"code":"404","message":"Resource not found"}}""");
            return;
        }

        var presented = azure ? http.Request.Headers["api-key"].ToString() : http.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        if (presented != _apiKey && !OtherKeys.Contains(presented))
        {
            await WriteJsonAsync(http, 401, """{"error":{"message":"Incorrect API key provided: sk-wr***ng. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
            return;
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            await WriteJsonAsync(http, 400, """{"error":{"message":"We could not parse the JSON body of your request.","type":"invalid_request_error","param":null,"code":null}}""");
            return;
        }

        if (path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            await EmbeddingsAsync(http, root);
            return;
        }

        var deployment = azure ? path.Split('/')[^2] : null;
        if ((deployment is null && !root.TryGetProperty("model", out _)) || !root.TryGetProperty("messages", out var messages) || messages.GetArrayLength() == 0)
        {
            await WriteJsonAsync(http, 400, """{"error":{"message":"you must provide a model parameter and messages","type":"invalid_request_error","param":null,"code":null}}""");
            return;
        }

        var stream = root.TryGetProperty("stream", out var s) && s.GetBoolean();
        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.TryGetProperty("include_usage", out var iu) && iu.GetBoolean();
        var toolName = ForcedTool(root);
        var text = $"OpenAI says: {LastUserText(messages)}";
        var id = "chatcmpl-fake123";
        var modelName = deployment ?? root.GetProperty("model").GetString()!;
        if (!stream)
        {
            var message = toolName is null
                ? $$$$"""{"role":"assistant","content":{{{{JsonSerializer.Serialize(text)}}}},"refusal":null}"""
                : $$$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"call_fake_1","type":"function","function":{"name":"{{{{toolName}}}}","arguments":"{\"city\":\"Paris\"}"}}]}""";
            await WriteJsonAsync(http, 200, $$$$"""
                {"id":"{{{{id}}}}","object":"chat.completion","created":1700000000,"model":"{{{{modelName}}}}","system_fingerprint":"fp_fake",
                 "choices":[{"index":0,"message":{{{{message}}}},"logprobs":null,"finish_reason":"{{{{(toolName is null ? "stop" : "tool_calls")}}}}"}],
                 "usage":{"prompt_tokens":{{{{PromptTokens}}}},"completion_tokens":{{{{CompletionTokens}}}},"total_tokens":{{{{PromptTokens + CompletionTokens}}}},
                          "prompt_tokens_details":{"cached_tokens":{{{{CachedTokens}}}}},"completion_tokens_details":{"reasoning_tokens":0}}}
                """);
            return;
        }

        string Chunk(string delta, string finish = "null") =>
            $$$$"""data: {"id":"{{{{id}}}}","object":"chat.completion.chunk","created":1700000000,"model":"{{{{modelName}}}}","choices":[{"index":0,"delta":{{{{delta}}}},"logprobs":null,"finish_reason":{{{{finish}}}}}]}""" + "\n\n";
        var events = new List<string> { Chunk("""{"role":"assistant","content":"","refusal":null}""") };
        if (toolName is null)
        {
            foreach (var piece in Split(text, 3))
            {
                events.Add(Chunk($$$$"""{"content":{{{{JsonSerializer.Serialize(piece)}}}}}"""));
            }

            events.Add(Chunk("{}", "\"stop\""));
        }
        else
        {
            events.Add(Chunk($$$$"""{"tool_calls":[{"index":0,"id":"call_fake_1","type":"function","function":{"name":"{{{{toolName}}}}","arguments":""}}]}"""));
            events.Add(Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"""));
            events.Add(Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""));
            events.Add(Chunk("{}", "\"tool_calls\""));
        }

        if (includeUsage)
        {
            events.Add($$$$"""data: {"id":"{{{{id}}}}","object":"chat.completion.chunk","created":1700000000,"model":"{{{{modelName}}}}","choices":[],"usage":{"prompt_tokens":{{{{PromptTokens}}}},"completion_tokens":{{{{CompletionTokens}}}},"total_tokens":{{{{PromptTokens + CompletionTokens}}}},"prompt_tokens_details":{"cached_tokens":{{{{CachedTokens}}}}}}}""" + "\n\n");
        }

        events.Add("data: [DONE]\n\n");
        await WriteSseAsync(http, events);
    }

    private static string? ForcedTool(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.GetArrayLength() == 0 || !root.TryGetProperty("tool_choice", out var choice))
        {
            return null;
        }

        if (choice.ValueKind == JsonValueKind.Object)
        {
            return choice.GetProperty("function").GetProperty("name").GetString();
        }

        return choice.GetString() == "required" ? tools[0].GetProperty("function").GetProperty("name").GetString() : null;
    }

    private async Task EmbeddingsAsync(HttpContext http, JsonElement root)
    {
        var inputs = root.GetProperty("input");
        var count = inputs.ValueKind == JsonValueKind.Array ? inputs.GetArrayLength() : 1;
        if (Embed is { } embed)
        {
            var texts = inputs.ValueKind == JsonValueKind.Array ? inputs.EnumerateArray().Select(i => i.GetString()!).ToList() : [inputs.GetString()!];
            var vectors = texts.Select((t, i) => $$$"""{"object":"embedding","index":{{{i}}},"embedding":[{{{string.Join(",", embed(t).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}}}]}""");
            await WriteJsonAsync(http, 200, $$$"""{"object":"list","data":[{{{string.Join(",", vectors)}}}],"model":"{{{root.GetProperty("model").GetString()}}}","usage":{"prompt_tokens":5,"total_tokens":5}}""");
            return;
        }

        var data = string.Join(",", Enumerable.Range(0, count).Select(i => $$$$"""{"object":"embedding","index":{{{{i}}}},"embedding":[{{{{0.1 * (i + 1):0.0}}}},{{{{0.2 * (i + 1):0.0}}}},{{{{0.3 * (i + 1):0.0}}}}]}"""));
        await WriteJsonAsync(http, 200, $$$$"""{"object":"list","data":[{{{{data}}}}],"model":"{{{{root.GetProperty("model").GetString()}}}}","usage":{"prompt_tokens":5,"total_tokens":5}}""");
    }

    internal static IEnumerable<string> Split(string text, int parts)
    {
        var size = (int)Math.Ceiling(text.Length / (double)parts);
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
