using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;
using Gatehouse.Protocol.OpenAi;

namespace Gatehouse.Providers.Mock;

/// <summary>
/// An offline upstream that speaks the OpenAI wire format from inside the process, so a fresh install answers
/// with no key and no network. It echoes the last user message, calls the first tool when tools are required,
/// streams word by word, and returns deterministic embeddings.
/// </summary>
public sealed class MockUpstreamHandler : HttpMessageHandler
{
    private readonly TimeProvider _time;

    /// <summary>Creates the handler.</summary>
    public MockUpstreamHandler(TimeProvider time) => _time = time;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        return path.EndsWith("/embeddings", StringComparison.Ordinal) ? Embeddings(body) : Chat(body);
    }

    private HttpResponseMessage Chat(byte[] body)
    {
        ChatRequest chat;
        try
        {
            chat = OpenAiChatRequestDecoder.Decode(body);
        }
        catch (GatewayException ex)
        {
            return Json(HttpStatusCode.BadRequest, w => OpenAiErrorWriter.WriteErrorObject(w, ex.Error));
        }

        var prompt = LastUserText(chat);
        var inputTokens = EstimateTokens(chat);
        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        var id = RequestId.New("chatcmpl-mock");
        var callTool = chat.Tools.Count > 0 && chat.ToolChoice?.Mode is ToolChoiceMode.Required or ToolChoiceMode.Function
            && chat.Messages[^1].Role != Role.Tool;
        var reply = Reply(prompt);
        var response = new ChatResponse
        {
            Id = id,
            Model = chat.Model,
            Created = created,
            Parts = callTool
                ? [new ToolCallPart { Id = RequestId.New("call_"), Name = chat.ToolChoice!.FunctionName ?? chat.Tools[0].Name, ArgumentsJson = "{}" }]
                : [new TextPart(reply)],
            FinishReason = callTool ? FinishReason.ToolCalls : FinishReason.Stop,
            Usage = new Usage(inputTokens, callTool ? 8 : Math.Max(1, reply.Length / 4)),
        };

        if (!chat.Stream)
        {
            using var buffer = new PooledBufferWriter();
            OpenAiChatResponseEncoder.Encode(response, chat.Model, buffer);
            return Bytes(HttpStatusCode.OK, buffer.WrittenSpan.ToArray(), "application/json");
        }

        return Bytes(HttpStatusCode.OK, Stream(response, chat.Model), "text/event-stream");
    }

    private static byte[] Stream(ChatResponse response, string model)
    {
        using var buffer = new PooledBufferWriter();
        var encoder = new OpenAiStreamEncoder(model, response.Created, includeUsage: true);
        encoder.Write(new MessageStartEvent(response.Id, model, default), buffer);
        if (response.Parts[0] is ToolCallPart call)
        {
            encoder.Write(new ToolCallStartEvent(0, call.Id, call.Name), buffer);
            encoder.Write(new ToolArgumentsDeltaEvent(0, call.ArgumentsJson), buffer);
            encoder.Write(new BlockStopEvent(0), buffer);
        }
        else
        {
            encoder.Write(new TextStartEvent(0), buffer);
            var text = ((TextPart)response.Parts[0]).Text;
            var start = 0;
            while (start < text.Length)
            {
                var space = text.IndexOf(' ', start + 1);
                var end = space < 0 ? text.Length : space;
                encoder.Write(new TextDeltaEvent(0, text[start..end]), buffer);
                start = end;
            }

            encoder.Write(new BlockStopEvent(0), buffer);
        }

        encoder.Write(new FinishEvent(response.FinishReason), buffer);
        encoder.Write(new UsageEvent(response.Usage), buffer);
        encoder.Complete(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static HttpResponseMessage Embeddings(byte[] body)
    {
        var inputs = new List<string>();
        var dimensions = 64;
        var model = "mock-embedding";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            model = root.GetProperty("model").GetString() ?? model;
            if (root.TryGetProperty("dimensions", out var d) && d.TryGetInt32(out var n) && n is > 0 and <= 4096)
            {
                dimensions = n;
            }

            foreach (var input in root.GetProperty("input").EnumerateArray())
            {
                inputs.Add(input.GetString() ?? string.Empty);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Json(HttpStatusCode.BadRequest, w => OpenAiErrorWriter.WriteErrorObject(w, GatewayError.Invalid("Malformed embeddings request.")));
        }

        return Json(HttpStatusCode.OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                w.WriteStartArray("embedding");
                foreach (var value in Vector(inputs[i], dimensions))
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            w.WriteStartObject("usage");
            var tokens = inputs.Sum(static s => Math.Max(1, s.Length / 4));
            w.WriteNumber("prompt_tokens", tokens);
            w.WriteNumber("total_tokens", tokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>A deterministic unit vector derived from the text's hash.</summary>
    private static float[] Vector(string text, int dimensions)
    {
        var vector = new float[dimensions];
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (seed[i % seed.Length] - 127.5f) / 127.5f * (1 + (i / seed.Length));
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = MathF.Round(vector[i] * scale, 6);
        }

        return vector;
    }

    private static string Reply(string prompt) => prompt.Length == 0
        ? "Hello from the Gatehouse mock provider."
        : $"Hello from the Gatehouse mock provider. You said: {prompt}";

    private static string LastUserText(ChatRequest chat)
    {
        for (var i = chat.Messages.Count - 1; i >= 0; i--)
        {
            if (chat.Messages[i].Role == Role.User)
            {
                return CanonicalText.Join(chat.Messages[i].Parts);
            }
        }

        return string.Empty;
    }

    private static int EstimateTokens(ChatRequest chat)
    {
        var chars = 0;
        foreach (var message in chat.Messages)
        {
            chars += CanonicalText.Join(message.Parts).Length + 4;
        }

        return Math.Max(1, chars / 4);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            write(writer);
        }

        return Bytes(status, buffer.WrittenSpan.ToArray(), "application/json");
    }

    private static HttpResponseMessage Bytes(HttpStatusCode status, byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new HttpResponseMessage(status) { Content = content };
    }
}
