using System.Text.Json;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Writes the body of an OpenAI assistant message (content, tool_calls, reasoning) from canonical parts.</summary>
internal static class OpenAiAssistantWriter
{
    /// <summary>Writes content, reasoning_content, thinking_blocks and tool_calls properties into the open object.</summary>
    public static void WriteAssistantBody(Utf8JsonWriter writer, List<ContentPart> parts, string? refusal = null)
    {
        string? text = null;
        var hasText = false;
        foreach (var part in parts)
        {
            if (part is TextPart t)
            {
                text = hasText ? text + t.Text : t.Text;
                hasText = true;
            }
        }

        if (hasText)
        {
            writer.WriteString("content", text);
        }
        else
        {
            writer.WriteNull("content");
        }

        if (refusal is not null)
        {
            writer.WriteString("refusal", refusal);
        }

        WriteReasoning(writer, parts);
        var wroteCalls = false;
        foreach (var part in parts)
        {
            if (part is not ToolCallPart call)
            {
                continue;
            }

            if (!wroteCalls)
            {
                writer.WriteStartArray("tool_calls");
                wroteCalls = true;
            }

            WriteToolCall(writer, call, index: null);
        }

        if (wroteCalls)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>Writes one tool call object; with an index for stream deltas.</summary>
    public static void WriteToolCall(Utf8JsonWriter writer, ToolCallPart call, int? index)
    {
        writer.WriteStartObject();
        if (index is { } i)
        {
            writer.WriteNumber("index", i);
        }

        writer.WriteString("id", call.Id);
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", call.Name);
        writer.WriteString("arguments", call.ArgumentsJson);
        writer.WriteEndObject();
        WriteThoughtSignature(writer, call.ThoughtSignature);
        writer.WriteEndObject();
    }

    /// <summary>Writes Gemini's thought signature the way Google's OpenAI-compatible API does.</summary>
    public static void WriteThoughtSignature(Utf8JsonWriter writer, string? signature)
    {
        if (signature is null)
        {
            return;
        }

        writer.WriteStartObject("extra_content");
        writer.WriteStartObject("google");
        writer.WriteString("thought_signature", signature);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteReasoning(Utf8JsonWriter writer, List<ContentPart> parts)
    {
        var thinking = parts.FindAll(static p => p is ThinkingPart);
        if (thinking.Count == 0)
        {
            return;
        }

        var reasoning = string.Concat(thinking.ConvertAll(static p => ((ThinkingPart)p).Text));
        writer.WriteString("reasoning_content", reasoning);
        if (!thinking.Exists(static p => p is ThinkingPart { Signature: not null } or ThinkingPart { RedactedData: not null }))
        {
            return;
        }

        // Anthropic-style blocks let the client send signed reasoning back unchanged on the next turn.
        writer.WriteStartArray("thinking_blocks");
        foreach (ThinkingPart part in thinking)
        {
            writer.WriteStartObject();
            if (part.RedactedData is not null)
            {
                writer.WriteString("type", "redacted_thinking");
                writer.WriteString("data", part.RedactedData);
            }
            else
            {
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", part.Text);
                if (part.Signature is not null)
                {
                    writer.WriteString("signature", part.Signature);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
