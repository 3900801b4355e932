using System.Buffers;
using System.Text.Json;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.Json;

namespace Gatehouse.Protocol.OpenAi;

/// <summary>Encodes the canonical request as an OpenAI Chat Completions body for an OpenAI-family upstream.</summary>
public static class OpenAiChatRequestEncoder
{
    /// <summary>Writes the body. <paramref name="upstreamModel"/> replaces the client's model name.</summary>
    public static void Encode(ChatRequest request, string upstreamModel, IBufferWriter<byte> output, bool useMaxCompletionTokens = false)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriting.Options);
        writer.WriteStartObject();
        writer.WriteString("model", upstreamModel);
        writer.WriteStartArray("messages");
        foreach (var message in request.Messages)
        {
            WriteMessage(writer, message);
        }

        writer.WriteEndArray();
        if (request.Tools.Count > 0)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in request.Tools)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", tool.Name);
                if (tool.Description is not null)
                {
                    writer.WriteString("description", tool.Description);
                }

                writer.WritePropertyName("parameters");
                writer.WriteRawValue(tool.ParametersJson, skipInputValidation: true);
                if (tool.Strict is { } strict)
                {
                    writer.WriteBoolean("strict", strict);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (request.ToolChoice is { } choice)
        {
            WriteToolChoice(writer, choice);
        }

        if (request.ParallelToolCalls is { } parallel && request.Tools.Count > 0)
        {
            writer.WriteBoolean("parallel_tool_calls", parallel);
        }

        if (request.ResponseFormat is { } format)
        {
            WriteResponseFormat(writer, format);
        }

        if (request.MaxTokens is { } max)
        {
            writer.WriteNumber(useMaxCompletionTokens ? "max_completion_tokens" : "max_tokens", max);
        }

        WriteOptional(writer, "temperature", request.Temperature);
        WriteOptional(writer, "top_p", request.TopP);
        if (request.Stop.Count > 0)
        {
            writer.WriteStartArray("stop");
            foreach (var stop in request.Stop)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (request.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        if (request.User is not null)
        {
            writer.WriteString("user", request.User);
        }

        if (request.ReasoningEffort is not null)
        {
            writer.WriteString("reasoning_effort", request.ReasoningEffort);
        }

        if (request.Stream)
        {
            writer.WriteBoolean("stream", true);
            writer.WriteStartObject("stream_options");
            writer.WriteBoolean("include_usage", true);
            writer.WriteEndObject();
        }

        if (request.SourceDialect == Dialect.OpenAiChat)
        {
            foreach (var (name, value) in request.Extra)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ToolChoice choice)
    {
        switch (choice.Mode)
        {
            case ToolChoiceMode.Function:
                writer.WriteStartObject("tool_choice");
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", choice.FunctionName);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("tool_choice", choice.Mode switch
                {
                    ToolChoiceMode.None => "none",
                    ToolChoiceMode.Required => "required",
                    _ => "auto",
                });
                break;
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ResponseFormat format)
    {
        writer.WriteStartObject("response_format");
        switch (format.Kind)
        {
            case ResponseFormatKind.JsonObject:
                writer.WriteString("type", "json_object");
                break;
            case ResponseFormatKind.JsonSchema:
                writer.WriteString("type", "json_schema");
                writer.WriteStartObject("json_schema");
                writer.WriteString("name", format.SchemaName ?? "response");
                writer.WritePropertyName("schema");
                writer.WriteRawValue(format.SchemaJson ?? "{}", skipInputValidation: true);
                if (format.Strict is { } strict)
                {
                    writer.WriteBoolean("strict", strict);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("type", "text");
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        if (message.Role == Role.Tool)
        {
            foreach (var part in message.Parts)
            {
                if (part is ToolResultPart result)
                {
                    writer.WriteStartObject();
                    writer.WriteString("role", "tool");
                    writer.WriteString("tool_call_id", result.ToolCallId);
                    WriteContent(writer, result.Content, forceArray: false);
                    writer.WriteEndObject();
                }
            }

            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role", message.Role switch
        {
            Role.System => message.IsDeveloper ? "developer" : "system",
            Role.Assistant => "assistant",
            _ => "user",
        });
        if (message.Name is not null)
        {
            writer.WriteString("name", message.Name);
        }

        if (message.Role == Role.Assistant)
        {
            OpenAiAssistantWriter.WriteAssistantBody(writer, message.Parts);
        }
        else
        {
            WriteContent(writer, message.Parts, forceArray: false);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <c>content</c> as a string when it is plain text, else as an array of parts.</summary>
    internal static void WriteContent(Utf8JsonWriter writer, List<ContentPart> parts, bool forceArray)
    {
        var plain = !forceArray && parts.TrueForAll(static p => p is TextPart { CacheControlJson: null });
        if (plain)
        {
            writer.WriteString("content", CanonicalText.Join(parts));
            return;
        }

        writer.WriteStartArray("content");
        foreach (var part in parts)
        {
            switch (part)
            {
                case TextPart text:
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text.Text);
                    WriteCacheControl(writer, part);
                    writer.WriteEndObject();
                    break;
                case ImagePart image:
                    writer.WriteStartObject();
                    writer.WriteString("type", "image_url");
                    writer.WriteStartObject("image_url");
                    writer.WriteString("url", image.ToUrl());
                    if (image.Detail is not null)
                    {
                        writer.WriteString("detail", image.Detail);
                    }

                    writer.WriteEndObject();
                    WriteCacheControl(writer, part);
                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteCacheControl(Utf8JsonWriter writer, ContentPart part)
    {
        if (part.CacheControlJson is not null)
        {
            writer.WritePropertyName("cache_control");
            writer.WriteRawValue(part.CacheControlJson, skipInputValidation: true);
        }
    }
}
