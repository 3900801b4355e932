using System.Buffers;
using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Encodes a canonical response as an OpenAI <c>chat.completion</c> body for the client.</summary>
public static class OpenAiChatResponseEncoder
{
    /// <summary>Writes the body; <paramref name="model"/> is the model name reported to the client.</summary>
    public static void Encode(ChatResponse response, string model, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteString("id", response.Id);
        writer.WriteString("object", "chat.completion");
        writer.WriteNumber("created", response.Created);
        writer.WriteString("model", model);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        OpenAiAssistantWriter.WriteAssistantBody(writer, response.Parts, response.Refusal);
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", FinishString(response.FinishReason));
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, response.Usage);
        writer.WriteEndObject();
    }

    /// <summary>The OpenAI finish_reason for a canonical reason.</summary>
    public static string FinishString(FinishReason reason) => reason switch
    {
        FinishReason.Length => "length",
        FinishReason.ToolCalls => "tool_calls",
        FinishReason.ContentFilter or FinishReason.Refusal => "content_filter",
        _ => "stop",
    };

    /// <summary>Writes an OpenAI <c>usage</c> object (cached tokens are counted inside prompt_tokens).</summary>
    public static void WriteUsage(Utf8JsonWriter writer, Usage usage)
    {
        var prompt = usage.InputTokens + usage.CachedInputTokens + usage.CacheWriteTokens;
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", prompt);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", prompt + usage.OutputTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedInputTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
