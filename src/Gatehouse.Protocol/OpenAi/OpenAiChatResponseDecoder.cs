using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Decodes an OpenAI Chat Completions response body from an upstream into the canonical response.</summary>
public static class OpenAiChatResponseDecoder
{
    /// <summary>Decodes a response body; throws <see cref="GatewayException"/> (upstream error) if it is malformed.</summary>
    public static ChatResponse Decode(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var choice = root.GetProperty("choices")[0];
            var message = choice.GetProperty("message");
            var parts = new List<ContentPart>();
            ReadReasoning(message, parts);
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                parts.Add(new TextPart(content.GetString()!));
            }

            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    parts.Add(new ToolCallPart
                    {
                        Id = call.GetProperty("id").GetString()!,
                        Name = function.GetProperty("name").GetString()!,
                        ArgumentsJson = function.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "{}",
                        ThoughtSignature = ReadThoughtSignature(call),
                    });
                }
            }

            var refusal = message.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return new ChatResponse
            {
                Id = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : RequestId.New("chatcmpl-"),
                Model = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString()! : string.Empty,
                Created = root.TryGetProperty("created", out var created) && created.TryGetInt64(out var c) ? c : 0,
                Parts = parts,
                FinishReason = MapFinish(choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null),
                Usage = root.TryGetProperty("usage", out var usage) ? ReadUsage(usage) : default,
                Refusal = refusal,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw UpstreamMalformed(ex);
        }
    }

    /// <summary>Reads an OpenAI <c>usage</c> object.</summary>
    public static Usage ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        long Get(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        var cached = usage.TryGetProperty("prompt_tokens_details", out var pd) && pd.ValueKind == JsonValueKind.Object ? Get(pd, "cached_tokens") : 0;
        var reasoning = usage.TryGetProperty("completion_tokens_details", out var cd) && cd.ValueKind == JsonValueKind.Object ? Get(cd, "reasoning_tokens") : 0;

        // OpenAI counts cached tokens inside prompt_tokens; canonical input excludes them so each class is priced once.
        return OpenAiChatResponseSummary.Canonical(Get(usage, "prompt_tokens"), Get(usage, "completion_tokens"), cached, reasoning);
    }

    /// <summary>Maps an OpenAI finish_reason.</summary>
    public static FinishReason MapFinish(string? reason) => reason switch
    {
        "length" => FinishReason.Length,
        "tool_calls" or "function_call" => FinishReason.ToolCalls,
        "content_filter" => FinishReason.ContentFilter,
        _ => FinishReason.Stop,
    };

    /// <summary>Reads Gemini's thought signature from a tool call's <c>extra_content</c>.</summary>
    public static string? ReadThoughtSignature(JsonElement call) =>
        call.TryGetProperty("extra_content", out var extra) && extra.ValueKind == JsonValueKind.Object
        && extra.TryGetProperty("google", out var google) && google.ValueKind == JsonValueKind.Object
        && google.TryGetProperty("thought_signature", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()
            : null;

    internal static GatewayException UpstreamMalformed(Exception ex) =>
        new(new GatewayError(ErrorKind.UpstreamError, "The provider returned a response the gateway could not read.", "upstream_malformed_response"), ex);

    private static void ReadReasoning(JsonElement message, List<ContentPart> parts)
    {
        if (message.TryGetProperty("thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                parts.Add(new ThinkingPart
                {
                    Text = block.TryGetProperty("thinking", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty,
                    Signature = block.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
                    RedactedData = block.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                });
            }

            return;
        }

        foreach (var name in (ReadOnlySpan<string>)["reasoning_content", "reasoning"])
        {
            if (message.TryGetProperty(name, out var reasoning) && reasoning.ValueKind == JsonValueKind.String && reasoning.GetString() is { Length: > 0 } text)
            {
                parts.Add(new ThinkingPart { Text = text });
                return;
            }
        }
    }
}
