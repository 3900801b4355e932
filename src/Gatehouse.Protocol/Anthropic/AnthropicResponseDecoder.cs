using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Decodes an Anthropic Messages response body into the canonical response.</summary>
public static class AnthropicResponseDecoder
{
    /// <summary>Decodes a response body; throws <see cref="GatewayException"/> (upstream error) if malformed.</summary>
    public static ChatResponse Decode(ReadOnlyMemory<byte> body, long created)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var parts = new List<ContentPart>();
            foreach (var block in root.GetProperty("content").EnumerateArray())
            {
                if (DecodeBlock(block) is { } part)
                {
                    parts.Add(part);
                }
            }

            // The forced structured-output tool's input is the answer.
            var finish = AnthropicStructuredOutput.UnwrapAnswer(parts, MapStop(Str(root, "stop_reason")));
            return new ChatResponse
            {
                Id = root.GetProperty("id").GetString()!,
                Model = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString()! : string.Empty,
                Created = created,
                Parts = parts,
                FinishReason = finish,
                StopSequence = Str(root, "stop_sequence"),
                Usage = root.TryGetProperty("usage", out var usage) ? ReadUsage(usage, default) : default,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <summary>Decodes one response content block; null for block types the gateway does not carry.</summary>
    internal static ContentPart? DecodeBlock(JsonElement block) => Str(block, "type") switch
    {
        "text" => new TextPart(Str(block, "text") ?? string.Empty),
        "tool_use" => new ToolCallPart
        {
            Id = Str(block, "id") ?? RequestId.New("toolu_"),
            Name = Str(block, "name") ?? string.Empty,
            ArgumentsJson = block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}",
        },
        "thinking" => new ThinkingPart { Text = Str(block, "thinking") ?? string.Empty, Signature = Str(block, "signature") },
        "redacted_thinking" => new ThinkingPart { RedactedData = Str(block, "data") },
        _ => null,
    };

    /// <summary>Reads an Anthropic usage object over a previous value (stream deltas repeat cumulative counts).</summary>
    public static Usage ReadUsage(JsonElement usage, Usage previous)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return previous;
        }

        long Get(string name, long fallback) => usage.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : fallback;
        return new Usage(
            Get("input_tokens", previous.InputTokens),
            Get("output_tokens", previous.OutputTokens),
            Get("cache_read_input_tokens", previous.CachedInputTokens),
            Get("cache_creation_input_tokens", previous.CacheWriteTokens),
            previous.ReasoningTokens);
    }

    /// <summary>Maps an Anthropic stop_reason.</summary>
    public static FinishReason MapStop(string? reason) => reason switch
    {
        "max_tokens" or "model_context_window_exceeded" => FinishReason.Length,
        "tool_use" => FinishReason.ToolCalls,
        "refusal" => FinishReason.Refusal,
        _ => FinishReason.Stop,
    };

    internal static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
