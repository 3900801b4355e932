using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Encodes a canonical response as an Anthropic Messages response body for the client.</summary>
public static class AnthropicResponseEncoder
{
    /// <summary>Writes the body; <paramref name="model"/> is the name reported to the client.</summary>
    public static void Encode(ChatResponse response, string model, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteString("id", response.Id.StartsWith("msg_", StringComparison.Ordinal) ? response.Id : "msg_" + response.Id);
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", model);
        writer.WriteStartArray("content");
        foreach (var part in response.Parts)
        {
            WriteResponseBlock(writer, part);
        }

        writer.WriteEndArray();
        writer.WriteString("stop_reason", StopString(response.FinishReason, response.StopSequence));
        if (response.StopSequence is null)
        {
            writer.WriteNull("stop_sequence");
        }
        else
        {
            writer.WriteString("stop_sequence", response.StopSequence);
        }

        WriteUsage(writer, response.Usage);
        writer.WriteEndObject();
    }

    /// <summary>The Anthropic stop_reason for a canonical reason.</summary>
    public static string StopString(FinishReason reason, string? stopSequence) => reason switch
    {
        FinishReason.Length => "max_tokens",
        FinishReason.ToolCalls => "tool_use",
        FinishReason.Refusal or FinishReason.ContentFilter => "refusal",
        _ => stopSequence is null ? "end_turn" : "stop_sequence",
    };

    /// <summary>Writes an Anthropic usage object.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, Usage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteNumber("cache_creation_input_tokens", usage.CacheWriteTokens);
        writer.WriteNumber("cache_read_input_tokens", usage.CachedInputTokens);
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteEndObject();
    }

    private static void WriteResponseBlock(Utf8JsonWriter writer, ContentPart part)
    {
        if (part is ThinkingPart { Signature: null, RedactedData: null } thinking)
        {
            // Unsigned reasoning from another provider: still shown, with an empty signature.
            writer.WriteStartObject();
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", thinking.Text);
            writer.WriteString("signature", string.Empty);
            writer.WriteEndObject();
            return;
        }

        if (part is ToolCallPart { ThoughtSignature: { } signature })
        {
            // Gemini's thought signature rides in a signed empty thinking block so Anthropic clients send it back.
            writer.WriteStartObject();
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", string.Empty);
            writer.WriteString("signature", GeminiSignatureMarker.Wrap(signature));
            writer.WriteEndObject();
        }

        AnthropicRequestEncoder.WriteBlock(writer, part);
    }
}
