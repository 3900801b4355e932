using System.Buffers;
using System.Text.Json;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.Anthropic;

/// <summary>Encodes the canonical request as an Anthropic Messages body.</summary>
public static class AnthropicRequestEncoder
{
    /// <summary>Writes the body; <paramref name="defaultMaxTokens"/> is used when the client set no limit.</summary>
    public static void Encode(ChatRequest request, string upstreamModel, int defaultMaxTokens, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteString("model", upstreamModel);
        var maxTokens = request.MaxTokens ?? defaultMaxTokens;
        if (request.ThinkingBudget is { } budget && maxTokens <= budget)
        {
            // Anthropic requires max_tokens to exceed the thinking budget (in long: a budget near int.MaxValue overflowed).
            maxTokens = (int)Math.Min((long)budget + Math.Max(1024, defaultMaxTokens / 4), int.MaxValue);
        }

        writer.WriteNumber("max_tokens", maxTokens);
        var structured = AnthropicStructuredOutput.ModeFor(request);
        WriteSystem(writer, request.Messages, structured == StructuredOutputMode.Instruction ? AnthropicStructuredOutput.Instruction(request) : null);
        writer.WriteStartArray("messages");
        WriteMessages(writer, request.Messages);
        writer.WriteEndArray();
        if (structured == StructuredOutputMode.ForcedTool)
        {
            writer.WriteStartArray("tools");
            AnthropicStructuredOutput.WriteTool(writer, request);
            writer.WriteEndArray();
            writer.WriteStartObject("tool_choice");
            writer.WriteString("type", "tool");
            writer.WriteString("name", AnthropicStructuredOutput.ToolName);
            writer.WriteEndObject();
        }
        else
        {
            if (request.Tools.Count > 0)
            {
                WriteTools(writer, request.Tools);
            }

            WriteToolChoice(writer, request);
        }
        if (request.Stop.Count > 0)
        {
            writer.WriteStartArray("stop_sequences");
            foreach (var stop in request.Stop)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (request.ThinkingBudget is { } thinking)
        {
            writer.WriteStartObject("thinking");
            writer.WriteString("type", "enabled");
            writer.WriteNumber("budget_tokens", thinking);
            writer.WriteEndObject();
        }
        else
        {
            // Anthropic's range is 0..1; OpenAI clients may send up to 2.
            if (request.Temperature is { } temperature)
            {
                writer.WriteNumber("temperature", Math.Min(temperature, 1.0));
            }

            if (request.TopP is { } topP)
            {
                writer.WriteNumber("top_p", topP);
            }

            if (request.TopK is { } topK)
            {
                writer.WriteNumber("top_k", topK);
            }
        }

        if (request.User is not null)
        {
            writer.WriteStartObject("metadata");
            writer.WriteString("user_id", request.User);
            writer.WriteEndObject();
        }

        if (request.Stream)
        {
            writer.WriteBoolean("stream", true);
        }

        if (request.SourceDialect == Dialect.AnthropicMessages)
        {
            foreach (var (name, value) in request.Extra)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteSystem(Utf8JsonWriter writer, List<ChatMessage> messages, string? extraInstruction)
    {
        var system = new List<ContentPart>();
        foreach (var message in messages)
        {
            if (message.Role == Role.System)
            {
                system.AddRange(message.Parts);
            }
        }

        if (extraInstruction is not null)
        {
            system.Add(new TextPart(extraInstruction));
        }

        if (system.Count == 0)
        {
            return;
        }

        if (system.TrueForAll(static p => p.CacheControlJson is null))
        {
            writer.WriteString("system", CanonicalText.Join(system));
            return;
        }

        writer.WriteStartArray("system");
        foreach (var part in system)
        {
            if (part is TextPart text)
            {
                WriteText(writer, text);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteMessages(Utf8JsonWriter writer, List<ChatMessage> messages)
    {
        // Anthropic needs alternating user/assistant turns: tool results and user text merge into one user turn.
        string? openRole = null;
        foreach (var message in messages)
        {
            if (message.Role == Role.System)
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
                WriteBlock(writer, part);
            }
        }

        if (openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    /// <summary>Writes one canonical part as an Anthropic content block.</summary>
    internal static void WriteBlock(Utf8JsonWriter writer, ContentPart part)
    {
        switch (part)
        {
            case TextPart text:
                if (text.Text.Length > 0)
                {
                    WriteText(writer, text);
                }

                return;
            case ImagePart image:
                WriteImage(writer, image);
                return;
            case ToolCallPart call:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", call.Id);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("input");
                WriteArguments(writer, call.ArgumentsJson);
                break;
            case ToolResultPart result:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_result");
                writer.WriteString("tool_use_id", result.ToolCallId);
                if (result.Content.TrueForAll(static p => p is TextPart))
                {
                    writer.WriteString("content", result.ContentText());
                }
                else
                {
                    writer.WriteStartArray("content");
                    foreach (var item in result.Content)
                    {
                        WriteBlock(writer, item);
                    }

                    writer.WriteEndArray();
                }

                if (result.IsError)
                {
                    writer.WriteBoolean("is_error", true);
                }

                break;
            case ThinkingPart { RedactedData: { } data }:
                writer.WriteStartObject();
                writer.WriteString("type", "redacted_thinking");
                writer.WriteString("data", data);
                break;
            case ThinkingPart { Signature: { } signature } thinking:
                writer.WriteStartObject();
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", thinking.Text);
                writer.WriteString("signature", signature);
                break;
            default:
                // Unsigned reasoning from another provider cannot be verified by Anthropic: drop it.
                return;
        }

        WriteCache(writer, part);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes tool arguments as a JSON object, tolerating what a model may produce: arguments that are not a JSON
    /// object, or whose strings are not Unicode (an unpaired surrogate escape), are written as an empty object.
    /// </summary>
    internal static void WriteArguments(Utf8JsonWriter writer, string argumentsJson)
    {
        using var document = JsonRead.TryParseObject(argumentsJson);
        if (document is not null)
        {
            document.RootElement.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter writer, TextPart text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text.Text);
        WriteCache(writer, text);
        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, ImagePart image)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "image");
        writer.WriteStartObject("source");
        if (image.Base64Data is not null)
        {
            writer.WriteString("type", "base64");
            writer.WriteString("media_type", image.MediaType ?? "image/png");
            writer.WriteString("data", image.Base64Data);
        }
        else
        {
            writer.WriteString("type", "url");
            writer.WriteString("url", image.Url);
        }

        writer.WriteEndObject();
        WriteCache(writer, image);
        writer.WriteEndObject();
    }

    private static void WriteCache(Utf8JsonWriter writer, ContentPart part)
    {
        if (part.CacheControlJson is not null)
        {
            writer.WritePropertyName("cache_control");
            writer.WriteRawValue(part.CacheControlJson, skipInputValidation: true);
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, List<ToolDefinition> tools)
    {
        writer.WriteStartArray("tools");
        foreach (var tool in tools)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tool.Name);
            if (tool.Description is not null)
            {
                writer.WriteString("description", tool.Description);
            }

            writer.WritePropertyName("input_schema");
            writer.WriteRawValue(tool.ParametersJson, skipInputValidation: true);
            if (tool.CacheControlJson is not null)
            {
                writer.WritePropertyName("cache_control");
                writer.WriteRawValue(tool.CacheControlJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Tools.Count == 0 || (request.ToolChoice is null && request.ParallelToolCalls != false))
        {
            return;
        }

        var choice = request.ToolChoice ?? new ToolChoice(ToolChoiceMode.Auto);
        writer.WriteStartObject("tool_choice");
        writer.WriteString("type", choice.Mode switch
        {
            ToolChoiceMode.Required => "any",
            ToolChoiceMode.Function => "tool",
            ToolChoiceMode.None => "none",
            _ => "auto",
        });
        if (choice.Mode == ToolChoiceMode.Function)
        {
            writer.WriteString("name", choice.FunctionName);
        }

        if (request.ParallelToolCalls == false && choice.Mode != ToolChoiceMode.None)
        {
            writer.WriteBoolean("disable_parallel_tool_use", true);
        }

        writer.WriteEndObject();
    }
}
