using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;

namespace Gatehouse.Protocol.Bedrock;

/// <summary>Decodes a Bedrock Converse response body into the canonical response.</summary>
public static class ConverseResponseDecoder
{
    /// <summary>The prefix of the ids the gateway makes for Bedrock answers, which carry none.</summary>
    public const string IdPrefix = "bedrock-";

    /// <summary>
    /// Decodes a response body; throws <see cref="GatewayException"/> (upstream error) if it is malformed.
    /// Converse names no model and no id: the model is left empty for the caller to fill and an id is generated.
    /// </summary>
    public static ChatResponse Decode(ReadOnlyMemory<byte> body, long created)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var message = root.GetProperty("output").GetProperty("message");
            var parts = new List<ContentPart>();
            foreach (var block in message.GetProperty("content").EnumerateArray())
            {
                if (DecodeBlock(block) is { } part)
                {
                    parts.Add(part);
                }
            }

            // The forced structured-output tool's input is the answer.
            var finish = AnthropicStructuredOutput.UnwrapAnswer(parts, MapStop(Str(root, "stopReason")));

            return new ChatResponse
            {
                Id = RequestId.New(IdPrefix),
                Model = string.Empty,
                Created = created,
                Parts = parts,
                FinishReason = finish,
                StopSequence = AdditionalStopSequence(root),
                Usage = root.TryGetProperty("usage", out var usage) ? ReadUsage(usage) : default,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <summary>Maps a Converse <c>stopReason</c>.</summary>
    public static FinishReason MapStop(string? reason) => reason switch
    {
        "tool_use" => FinishReason.ToolCalls,
        "max_tokens" or "model_context_window_exceeded" => FinishReason.Length,
        "guardrail_intervened" or "content_filtered" => FinishReason.ContentFilter,
        _ => FinishReason.Stop,
    };

    /// <summary>Reads a Converse <c>usage</c> object; Bedrock counts cache reads and writes apart from <c>inputTokens</c>.</summary>
    public static Usage ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        return new Usage(
            Long(usage, "inputTokens"),
            Long(usage, "outputTokens"),
            Long(usage, "cacheReadInputTokens"),
            Long(usage, "cacheWriteInputTokens"));
    }

    /// <summary>The stop sequence Anthropic models report in <c>additionalModelResponseFields</c>, when asked for.</summary>
    internal static string? AdditionalStopSequence(JsonElement root) =>
        root.TryGetProperty("additionalModelResponseFields", out var extra) && extra.ValueKind == JsonValueKind.Object
            ? Str(extra, "stop_sequence")
            : null;

    internal static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long Long(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    private static ContentPart? DecodeBlock(JsonElement block)
    {
        if (block.TryGetProperty("text", out var text))
        {
            return new TextPart(text.GetString() ?? string.Empty);
        }

        if (block.TryGetProperty("toolUse", out var toolUse))
        {
            return new ToolCallPart
            {
                Id = Str(toolUse, "toolUseId") ?? RequestId.New("tooluse_"),
                Name = Str(toolUse, "name") ?? string.Empty,
                ArgumentsJson = toolUse.TryGetProperty("input", out var input) ? input.GetRawText() : "{}",
            };
        }

        if (block.TryGetProperty("reasoningContent", out var reasoning))
        {
            if (Str(reasoning, "redactedContent") is { } redacted)
            {
                return new ThinkingPart { RedactedData = redacted };
            }

            var reasoningText = reasoning.GetProperty("reasoningText");
            return new ThinkingPart { Text = Str(reasoningText, "text") ?? string.Empty, Signature = Str(reasoningText, "signature") };
        }

        // Citations, guard content, documents and other blocks the gateway does not carry.
        return null;
    }
}
