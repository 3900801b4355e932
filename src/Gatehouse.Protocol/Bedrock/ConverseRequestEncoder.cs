using System.Buffers;
using System.Text.Json;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Bedrock;

/// <summary>
/// Encodes the canonical request as a Bedrock Converse (and ConverseStream) body. The model id travels in the URL,
/// not in the body; the body is the same for both operations.
/// </summary>
public static class ConverseRequestEncoder
{
    /// <summary>The output allowance added above a thinking budget when the client set no larger limit.</summary>
    internal const int ThinkingHeadroom = 1024;

    /// <summary>The limit used with a thinking budget when the client set none.</summary>
    internal const int DefaultThinkingMaxTokens = 4096;

    private static readonly HashSet<string> WrittenFields = new(StringComparer.Ordinal)
    {
        "messages", "system", "inferenceConfig", "toolConfig", "additionalModelRequestFields",
    };

    /// <summary>Writes the body. Throws a 400 <see cref="Gatehouse.Core.GatewayException"/> for content Bedrock cannot take (image URLs).</summary>
    public static void Encode(ChatRequest request, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        WriteMessages(writer, request.Messages);
        writer.WriteEndArray();
        // Converse has no response_format: the schema is a forced reserved tool or, failing that, an instruction.
        var structured = AnthropicStructuredOutput.ModeFor(request);
        WriteSystem(writer, request.Messages, structured == StructuredOutputMode.Instruction ? AnthropicStructuredOutput.Instruction(request) : null);
        WriteInferenceConfig(writer, request);
        ConverseToolConfigWriter.Write(writer, request, structured == StructuredOutputMode.ForcedTool);
        WriteAdditionalFields(writer, request);
        if (request.SourceDialect == Dialect.BedrockConverse)
        {
            foreach (var (name, value) in request.Extra)
            {
                if (!WrittenFields.Contains(name))
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteMessages(Utf8JsonWriter writer, List<ChatMessage> messages)
    {
        // Converse wants user/assistant turns: tool results become user content and same-role turns merge.
        string? openRole = null;
        foreach (var message in messages)
        {
            if (message.Role == Role.System || !message.Parts.Exists(ConverseContentWriter.Writes))
            {
                continue;
            }

            var role = message.Role == Role.Assistant ? "assistant" : "user";
            if (openRole != role)
            {
                if (openRole is not null)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteStartObject();
                writer.WriteString("role", role);
                writer.WriteStartArray("content");
                openRole = role;
            }

            foreach (var part in message.Parts)
            {
                ConverseContentWriter.WriteBlock(writer, part);
            }
        }

        if (openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    private static void WriteSystem(Utf8JsonWriter writer, List<ChatMessage> messages, string? extraInstruction)
    {
        var started = false;
        foreach (var message in messages)
        {
            if (message.Role != Role.System)
            {
                continue;
            }

            foreach (var part in message.Parts)
            {
                if (part is not TextPart { Text.Length: > 0 } text)
                {
                    continue;
                }

                if (!started)
                {
                    writer.WriteStartArray("system");
                    started = true;
                }

                writer.WriteStartObject();
                writer.WriteString("text", text.Text);
                writer.WriteEndObject();
                ConverseContentWriter.WriteCachePoint(writer, text.CacheControlJson);
            }
        }

        if (extraInstruction is not null)
        {
            if (!started)
            {
                writer.WriteStartArray("system");
                started = true;
            }

            writer.WriteStartObject();
            writer.WriteString("text", extraInstruction);
            writer.WriteEndObject();
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private static void WriteInferenceConfig(Utf8JsonWriter writer, ChatRequest request)
    {
        var maxTokens = request.MaxTokens;
        if (request.ThinkingBudget is { } budget)
        {
            // Anthropic models need the output limit above the thinking budget.
            if (maxTokens is null)
            {
                maxTokens = Math.Max(DefaultThinkingMaxTokens, budget + ThinkingHeadroom);
            }
            else if (maxTokens <= budget)
            {
                maxTokens = budget + ThinkingHeadroom;
            }
        }

        // With extended thinking Anthropic models accept no sampling overrides.
        var sampling = request.ThinkingBudget is null;
        var temperature = sampling ? request.Temperature : null;
        var topP = sampling ? request.TopP : null;
        if (maxTokens is null && temperature is null && topP is null && request.Stop.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("inferenceConfig");
        if (maxTokens is { } max)
        {
            writer.WriteNumber("maxTokens", max);
        }

        if (temperature is { } t)
        {
            // Converse accepts 0..1; OpenAI clients may send up to 2.
            writer.WriteNumber("temperature", Math.Min(t, 1.0));
        }

        if (topP is { } p)
        {
            writer.WriteNumber("topP", p);
        }

        if (request.Stop.Count > 0)
        {
            writer.WriteStartArray("stopSequences");
            foreach (var stop in request.Stop)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteAdditionalFields(Utf8JsonWriter writer, ChatRequest request)
    {
        var topK = request.ThinkingBudget is null ? request.TopK : null;
        if (topK is null && request.ThinkingBudget is null)
        {
            return;
        }

        writer.WriteStartObject("additionalModelRequestFields");
        if (topK is { } k)
        {
            writer.WriteNumber("top_k", k);
        }

        if (request.ThinkingBudget is { } budget)
        {
            writer.WriteStartObject("thinking");
            writer.WriteString("type", "enabled");
            writer.WriteNumber("budget_tokens", budget);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
