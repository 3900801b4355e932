using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Bedrock;

/// <summary>Writes canonical content parts as Bedrock Converse <c>ContentBlock</c> objects.</summary>
internal static class ConverseContentWriter
{
    /// <summary>Whether a part becomes at least one Converse block (empty text and unsigned reasoning do not).</summary>
    public static bool Writes(ContentPart part) => part switch
    {
        TextPart text => text.Text.Length > 0,
        ThinkingPart thinking => thinking.RedactedData is not null || IsBedrockSignature(thinking.Signature),
        ImagePart or ToolCallPart or ToolResultPart => true,
        _ => false,
    };

    /// <summary>Writes one part, followed by a <c>cachePoint</c> block when the part carries a cache mark.</summary>
    public static void WriteBlock(Utf8JsonWriter writer, ContentPart part)
    {
        if (!Writes(part))
        {
            return;
        }

        writer.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                writer.WriteString("text", text.Text);
                break;
            case ImagePart image:
                WriteImage(writer, image);
                break;
            case ToolCallPart call:
                writer.WriteStartObject("toolUse");
                writer.WriteString("toolUseId", call.Id);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("input");
                AnthropicRequestEncoder.WriteArguments(writer, call.ArgumentsJson);
                writer.WriteEndObject();
                break;
            case ToolResultPart result:
                WriteToolResult(writer, result);
                break;
            case ThinkingPart thinking:
                WriteReasoning(writer, thinking);
                break;
        }

        writer.WriteEndObject();
        WriteCachePoint(writer, part.CacheControlJson);
    }

    /// <summary>Writes <c>{"cachePoint":{"type":"default"}}</c> when a cache mark is present.</summary>
    public static void WriteCachePoint(Utf8JsonWriter writer, string? cacheControlJson)
    {
        if (cacheControlJson is null)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteStartObject("cachePoint");
        writer.WriteString("type", "default");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, ImagePart image)
    {
        if (image.Base64Data is null)
        {
            throw new GatewayException(GatewayError.Invalid(
                "Bedrock does not accept image URLs; send the image inline as base64 data (a data: URL).",
                "messages", "unsupported_image_url"));
        }

        var format = image.MediaType switch
        {
            "image/png" => "png",
            "image/jpeg" or "image/jpg" => "jpeg",
            "image/gif" => "gif",
            "image/webp" => "webp",
            _ => throw new GatewayException(GatewayError.Invalid(
                $"Bedrock accepts png, jpeg, gif and webp images, not '{image.MediaType ?? "an image without a media type"}'.", "messages", "unsupported_image_format")),
        };

        writer.WriteStartObject("image");
        writer.WriteString("format", format);
        writer.WriteStartObject("source");
        writer.WriteString("bytes", image.Base64Data);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToolResult(Utf8JsonWriter writer, ToolResultPart result)
    {
        writer.WriteStartObject("toolResult");
        writer.WriteString("toolUseId", result.ToolCallId);
        writer.WriteStartArray("content");
        foreach (var item in result.Content)
        {
            if (item is TextPart { Text.Length: > 0 } text)
            {
                writer.WriteStartObject();
                writer.WriteString("text", text.Text);
                writer.WriteEndObject();
            }
            else if (item is ImagePart image)
            {
                writer.WriteStartObject();
                WriteImage(writer, image);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        if (result.IsError)
        {
            writer.WriteString("status", "error");
        }

        writer.WriteEndObject();
    }

    private static void WriteReasoning(Utf8JsonWriter writer, ThinkingPart thinking)
    {
        writer.WriteStartObject("reasoningContent");
        if (thinking.RedactedData is { } redacted)
        {
            writer.WriteString("redactedContent", redacted);
        }
        else
        {
            writer.WriteStartObject("reasoningText");
            writer.WriteString("text", thinking.Text);
            writer.WriteString("signature", thinking.Signature);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    // Reasoning signed by another provider (Gemini, marked) cannot be verified by Bedrock: such parts are dropped.
    private static bool IsBedrockSignature(string? signature) =>
        signature is not null && !GeminiSignatureMarker.TryUnwrap(signature, out _);
}
