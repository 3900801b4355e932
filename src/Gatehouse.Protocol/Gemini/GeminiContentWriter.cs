using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Anthropic;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Gemini;

/// <summary>Writes the canonical conversation as Gemini <c>contents</c>: user and model turns of typed parts.</summary>
internal static class GeminiContentWriter
{
    private static readonly (string Extension, string MediaType)[] ImageTypes =
    [
        ("png", "image/png"), ("jpg", "image/jpeg"), ("jpeg", "image/jpeg"), ("webp", "image/webp"),
        ("gif", "image/gif"), ("heic", "image/heic"), ("heif", "image/heif"),
    ];

    /// <summary>Writes the <c>contents</c> array; system messages are left out (they go to <c>systemInstruction</c>).</summary>
    public static void WriteContents(Utf8JsonWriter writer, List<ChatMessage> messages)
    {
        // Tool results carry only the call id, but Gemini's functionResponse needs the function name:
        // remember the name of every call as it is written, since a call always precedes its result.
        Dictionary<string, string>? callNames = null;
        string? openRole = null;
        writer.WriteStartArray("contents");
        foreach (var message in messages)
        {
            if (message.Role == Role.System)
            {
                continue;
            }

            // Tool results go back as a user turn; consecutive turns of one role merge into one content.
            var role = message.Role == Role.Assistant ? "model" : "user";
            var parts = message.Parts;
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                if (!IsSent(part))
                {
                    continue;
                }

                if (openRole != role)
                {
                    if (openRole is not null)
                    {
                        EndContent(writer);
                    }

                    writer.WriteStartObject();
                    writer.WriteString("role", role);
                    writer.WriteStartArray("parts");
                    openRole = role;
                }

                if (part is ThinkingPart { Text.Length: 0 } carrier && i + 1 < parts.Count && parts[i + 1] is TextPart next)
                {
                    // A signature Gemini put on a text part was decoded into an empty thinking part before
                    // that text: put it back on the text part it came with.
                    WriteText(writer, next.Text, thought: false, SignatureOf(carrier));
                    i++;
                    continue;
                }

                WritePart(writer, part, ref callNames);
            }
        }

        if (openRole is not null)
        {
            EndContent(writer);
        }

        writer.WriteEndArray();
    }

    private static bool IsSent(ContentPart part) => part switch
    {
        TextPart text => text.Text.Length > 0,

        // Gemini can only use reasoning it signed; unsigned or Anthropic-redacted reasoning is dropped.
        ThinkingPart thinking => thinking.RedactedData is null && thinking.Signature is not null,
        _ => true,
    };

    private static void WritePart(Utf8JsonWriter writer, ContentPart part, ref Dictionary<string, string>? callNames)
    {
        switch (part)
        {
            case TextPart text:
                WriteText(writer, text.Text, thought: false, signature: null);
                break;
            case ImagePart image:
                WriteImage(writer, image);
                break;
            case ToolCallPart call:
                (callNames ??= new Dictionary<string, string>(StringComparer.Ordinal))[call.Id] = call.Name;
                writer.WriteStartObject();
                writer.WriteStartObject("functionCall");
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("args");
                AnthropicRequestEncoder.WriteArguments(writer, call.ArgumentsJson);
                writer.WriteEndObject();
                if (call.ThoughtSignature is not null)
                {
                    writer.WriteString("thoughtSignature", call.ThoughtSignature);
                }

                writer.WriteEndObject();
                break;
            case ToolResultPart result:
                WriteToolResult(writer, result, callNames);
                break;
            case ThinkingPart thinking:
                // An empty signed part is the signature-only part Gemini sends at the end of some answers.
                WriteText(writer, thinking.Text, thought: thinking.Text.Length > 0, SignatureOf(thinking));
                break;
        }
    }

    private static void WriteToolResult(Utf8JsonWriter writer, ToolResultPart result, Dictionary<string, string>? callNames)
    {
        if (callNames is null || !callNames.TryGetValue(result.ToolCallId, out var name))
        {
            throw new GatewayException(GatewayError.Invalid(
                $"The tool result for call '{result.ToolCallId}' answers no earlier tool call in the conversation. "
                + "Gemini needs the function name: keep the assistant message with that tool call in the history.",
                "messages"));
        }

        writer.WriteStartObject();
        writer.WriteStartObject("functionResponse");
        writer.WriteString("name", name);
        writer.WriteStartObject("response");
        writer.WriteString(result.IsError ? "error" : "content", result.ContentText());
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        // Images a tool returned follow the response as parts of the same turn.
        foreach (var item in result.Content)
        {
            if (item is ImagePart image)
            {
                WriteImage(writer, image);
            }
        }
    }

    private static void WriteText(Utf8JsonWriter writer, string text, bool thought, string? signature)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        if (thought)
        {
            writer.WriteBoolean("thought", true);
        }

        if (signature is not null)
        {
            writer.WriteString("thoughtSignature", signature);
        }

        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, ImagePart image)
    {
        writer.WriteStartObject();
        if (image.Base64Data is not null)
        {
            writer.WriteStartObject("inlineData");
            writer.WriteString("mimeType", image.MediaType ?? "image/png");
            writer.WriteString("data", image.Base64Data);
        }
        else
        {
            writer.WriteStartObject("fileData");
            if ((image.MediaType ?? MediaTypeFromUrl(image.Url)) is { } mediaType)
            {
                writer.WriteString("mimeType", mediaType);
            }

            writer.WriteString("fileUri", image.Url);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Guesses an image media type from a URL's extension; null when it cannot tell.</summary>
    internal static string? MediaTypeFromUrl(string? url)
    {
        if (url is null)
        {
            return null;
        }

        var path = url.AsSpan();
        var cut = path.IndexOfAny('?', '#');
        if (cut >= 0)
        {
            path = path[..cut];
        }

        var extension = path[(path.LastIndexOf('.') + 1)..];
        foreach (var (known, mediaType) in ImageTypes)
        {
            if (extension.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return mediaType;
            }
        }

        return null;
    }

    /// <summary>The Gemini signature of a thinking part, unwrapped if it travelled through an Anthropic client.</summary>
    private static string? SignatureOf(ThinkingPart thinking) =>
        GeminiSignatureMarker.TryUnwrap(thinking.Signature, out var gemini) ? gemini : thinking.Signature;

    private static void EndContent(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
