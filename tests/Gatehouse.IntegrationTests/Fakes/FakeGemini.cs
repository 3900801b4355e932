using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.IntegrationTests.Fakes;

/// <summary>
/// A fake Google Gemini API: <c>POST /v1beta/models/{model}:generateContent</c>, <c>:streamGenerateContent</c>
/// (SSE with <c>?alt=sse</c>, a JSON array without) and <c>:batchEmbedContents</c>, with Google's error shape.
/// The model answers <c>"Gemini says: {last user text}"</c>; when <c>toolConfig.functionCallingConfig.mode</c> is ANY it
/// calls the first allowed (else first declared) function with <c>{"city":"Paris"}</c> and thought signature
/// <see cref="ThoughtSignature"/>. Streams send the text in three chunks, usage in the last.
/// Token counts are whitespace-separated words: the prompt's texts, and the answer's text (a function call counts 5).
/// </summary>
public sealed class FakeGemini : IFakeUpstream
{
    /// <summary>The thought signature put on every function call the fake makes.</summary>
    public const string ThoughtSignature = "sig-gemini-1";

    /// <summary>The number of dimensions of an embedding when the request gives no <c>outputDimensionality</c>.</summary>
    public const int DefaultEmbeddingDimensions = 768;

    /// <summary>Google writes non-ASCII text and quotes unescaped; so does the fake, so clients meet raw UTF-8.</summary>
    private static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _apiKey;
    private readonly Lock _gate = new();
    private (int StatusCode, string Body)? _failNext;
    private int _responses;

    /// <summary>Creates the fake; requests must carry <paramref name="apiKey"/> in <c>x-goog-api-key</c> (or <c>?key=</c>).</summary>
    public FakeGemini(string apiKey) => _apiKey = apiKey;

    /// <inheritdoc />
    public List<RecordedRequest> Received { get; } = [];

    /// <summary>When set, the next request (of any kind) is answered with this status and JSON body; then it clears.</summary>
    public (int StatusCode, string Body)? FailNext
    {
        get
        {
            lock (_gate)
            {
                return _failNext;
            }
        }

        set
        {
            lock (_gate)
            {
                _failNext = value;
            }
        }
    }

    /// <inheritdoc />
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        Record(request, body);
        if (TakeFailure() is { } failure)
        {
            await WriteJsonAsync(context, failure.StatusCode, failure.Body);
            return;
        }

        if (!HttpMethods.IsPost(request.Method) || !TryParseRoute(request.Path.Value, out var model, out var method))
        {
            await WriteErrorAsync(context, 404, "NOT_FOUND", "Method not found.");
            return;
        }

        var key = request.Headers["x-goog-api-key"].ToString();
        if (key.Length == 0)
        {
            key = request.Query["key"].ToString();
        }

        if (!string.Equals(key, _apiKey, StringComparison.Ordinal))
        {
            await WriteJsonAsync(context, 401, InvalidKeyError().ToJsonString(Wire));
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", $"Invalid JSON payload received. {ex.Message}");
            return;
        }

        using (document)
        {
            switch (method)
            {
                case "generateContent":
                    await GenerateAsync(context, model, document.RootElement, streamMode: null);
                    break;
                case "streamGenerateContent":
                    await GenerateAsync(context, model, document.RootElement, request.Query["alt"].ToString() == "sse" ? "sse" : "array");
                    break;
                case "batchEmbedContents":
                    await EmbedAsync(context, model, document.RootElement);
                    break;
                default:
                    await WriteErrorAsync(context, 404, "NOT_FOUND", "Method not found.");
                    break;
            }
        }
    }

    private async Task GenerateAsync(HttpContext context, string model, JsonElement root, string? streamMode)
    {
        if (FakeGeminiRequestReader.Validate(root) is { } problem)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", problem);
            return;
        }

        var responseId = $"fake-gemini-{Interlocked.Increment(ref _responses)}";
        var promptTokens = Math.Max(1, FakeGeminiRequestReader.CountPromptWords(root));
        var function = FakeGeminiRequestReader.ForcedFunction(root);
        if (function is not null)
        {
            var call = new JsonObject
            {
                ["functionCall"] = new JsonObject { ["name"] = function, ["args"] = new JsonObject { ["city"] = "Paris" } },
                ["thoughtSignature"] = ThoughtSignature,
            };
            var chunk = Chunk(model, responseId, call, finish: true, promptTokens, candidateTokens: 5);
            await WriteAnswerAsync(context, streamMode, [chunk]);
            return;
        }

        var text = "Gemini says: " + FakeGeminiRequestReader.LastUserText(root);
        var answerTokens = FakeGeminiRequestReader.CountWords(text);
        if (streamMode is null)
        {
            await WriteAnswerAsync(context, null, [Chunk(model, responseId, TextPart(text), finish: true, promptTokens, answerTokens)]);
            return;
        }

        var first = SplitPoint(text, text.Length / 3);
        var second = SplitPoint(text, text.Length * 2 / 3);
        await WriteAnswerAsync(context, streamMode,
        [
            Chunk(model, responseId, TextPart(text[..first]), finish: false, promptTokens, 0),
            Chunk(model, responseId, TextPart(text[first..second]), finish: false, promptTokens, 0),
            Chunk(model, responseId, TextPart(text[second..]), finish: true, promptTokens, answerTokens),
        ]);
    }

    private static async Task EmbedAsync(HttpContext context, string model, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests)
            || requests.ValueKind != JsonValueKind.Array || requests.GetArrayLength() == 0)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: requests is not specified\n");
            return;
        }

        var embeddings = new JsonArray();
        var i = 0;
        foreach (var item in requests.EnumerateArray())
        {
            var text = EmbedText(item);
            if (text is null)
            {
                await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", $"* BatchEmbedContentsRequest.requests[{i}].content: content is not specified\n");
                return;
            }

            if (FakeGeminiRequestReader.Str(item, "model") != "models/" + model)
            {
                await WriteErrorAsync(context, 400, "INVALID_ARGUMENT",
                    $"Model names should be the same in the URL and in each request of the batch; requests[{i}] has \"{FakeGeminiRequestReader.Str(item, "model")}\".");
                return;
            }

            var dimensions = item.TryGetProperty("outputDimensionality", out var d) && d.TryGetInt32(out var n) && n > 0 ? n : DefaultEmbeddingDimensions;
            embeddings.Add(new JsonObject { ["values"] = Vector(text, dimensions) });
            i++;
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["embeddings"] = embeddings }.ToJsonString(Wire));
    }

    private static JsonObject Chunk(string model, string responseId, JsonObject part, bool finish, int promptTokens, int candidateTokens)
    {
        var candidate = new JsonObject
        {
            ["content"] = new JsonObject { ["parts"] = new JsonArray(part), ["role"] = "model" },
        };
        if (finish)
        {
            candidate["finishReason"] = "STOP";
        }

        candidate["index"] = 0;
        var chunk = new JsonObject { ["candidates"] = new JsonArray(candidate) };
        if (finish)
        {
            chunk["usageMetadata"] = new JsonObject
            {
                ["promptTokenCount"] = promptTokens,
                ["candidatesTokenCount"] = candidateTokens,
                ["totalTokenCount"] = promptTokens + candidateTokens,
            };
        }

        chunk["modelVersion"] = model;
        chunk["responseId"] = responseId;
        return chunk;
    }

    private static JsonObject TextPart(string text) => new() { ["text"] = text };

    /// <summary>Writes the answer: one JSON object, an SSE stream, or (streaming without alt=sse) a JSON array.</summary>
    private static async Task WriteAnswerAsync(HttpContext context, string? streamMode, JsonObject[] chunks)
    {
        if (streamMode is null)
        {
            await WriteJsonAsync(context, 200, chunks[0].ToJsonString(Wire));
            return;
        }

        var response = context.Response;
        response.StatusCode = 200;
        if (streamMode == "array")
        {
            response.ContentType = "application/json; charset=UTF-8";
            var array = new JsonArray();
            foreach (var chunk in chunks)
            {
                array.Add(chunk);
            }

            await response.WriteAsync(array.ToJsonString(Wire), context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream";
        foreach (var chunk in chunks)
        {
            await response.WriteAsync("data: " + chunk.ToJsonString(Wire) + "\r\n\r\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>Moves a split point off the middle of a surrogate pair.</summary>
    private static int SplitPoint(string text, int index) =>
        index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) ? index + 1 : index;

    private static string? EmbedText(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            builder.Append(part.ValueKind == JsonValueKind.Object ? FakeGeminiRequestReader.Str(part, "text") : null);
        }

        return builder.ToString();
    }

    /// <summary>A deterministic vector in [-1, 1] derived from the text (FNV-1a seed, xorshift steps).</summary>
    private static JsonArray Vector(string text, int dimensions)
    {
        var state = 2166136261u;
        foreach (var c in text)
        {
            state = (state ^ c) * 16777619u;
        }

        var values = new JsonArray();
        for (var i = 0; i < dimensions; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            values.Add(JsonValue.Create(MathF.Round((state / (float)uint.MaxValue * 2f) - 1f, 6)));
        }

        return values;
    }

    private static JsonObject InvalidKeyError() => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = 401,
            ["message"] = "API key not valid. Please pass a valid API key.",
            ["status"] = "UNAUTHENTICATED",
            ["details"] = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "generativelanguage.googleapis.com" },
            }),
        },
    };

    private static Task WriteErrorAsync(HttpContext context, int code, string status, string message) =>
        WriteJsonAsync(context, code, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status },
        }.ToJsonString(Wire));

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, string json)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static bool TryParseRoute(string? path, out string model, out string method)
    {
        model = method = string.Empty;
        foreach (var prefix in (ReadOnlySpan<string>)["/v1beta/models/", "/v1/models/"])
        {
            if (path is not null && path.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = path[prefix.Length..];
                var colon = rest.LastIndexOf(':');
                if (colon <= 0)
                {
                    return false;
                }

                model = rest[..colon];
                method = rest[(colon + 1)..];
                return true;
            }
        }

        return false;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private void Record(HttpRequest request, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var recorded = new RecordedRequest(request.Method, request.Path.Value + request.QueryString.Value, headers, body);
        lock (_gate)
        {
            Received.Add(recorded);
        }
    }

    private (int StatusCode, string Body)? TakeFailure()
    {
        lock (_gate)
        {
            var failure = _failNext;
            _failNext = null;
            return failure;
        }
    }
}
