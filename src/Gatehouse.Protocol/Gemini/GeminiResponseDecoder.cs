using System.Text.Json;
using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Protocol.OpenAi;

namespace Gatehouse.Protocol.Gemini;

/// <summary>Decodes a Gemini <c>GenerateContentResponse</c> body into the canonical response.</summary>
public static class GeminiResponseDecoder
{
    /// <summary>Decodes a response body; throws <see cref="GatewayException"/> (upstream error) if it is malformed or the prompt was blocked.</summary>
    public static ChatResponse Decode(ReadOnlyMemory<byte> body, long created)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw OpenAiChatResponseDecoder.UpstreamMalformed(new JsonException("The body is not a JSON object."));
            }

            if (!TryFirstCandidate(root, out var candidate))
            {
                throw BlockReason(root) is { } reason
                    ? new GatewayException(Blocked(reason))
                    : OpenAiChatResponseDecoder.UpstreamMalformed(new JsonException("The answer has no candidates."));
            }

            var parts = new List<ContentPart>();
            var calledTools = false;
            if (candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
                && content.TryGetProperty("parts", out var wireParts) && wireParts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in wireParts.EnumerateArray())
                {
                    calledTools |= DecodePart(part, parts);
                }
            }

            return new ChatResponse
            {
                Id = Str(root, "responseId") ?? RequestId.New("gen_"),
                Model = Str(root, "modelVersion") ?? string.Empty,
                Created = created,
                Parts = parts,
                FinishReason = MapFinish(Str(candidate, "finishReason"), calledTools),
                Usage = root.TryGetProperty("usageMetadata", out var usage) ? ReadUsage(usage) : default,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw OpenAiChatResponseDecoder.UpstreamMalformed(ex);
        }
    }

    /// <summary>Decodes one response part into <paramref name="into"/>; returns true if it was a function call.</summary>
    internal static bool DecodePart(JsonElement part, List<ContentPart> into)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("A part is not a JSON object.");
        }

        var signature = Str(part, "thoughtSignature");
        if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
        {
            into.Add(new ToolCallPart
            {
                Id = Str(call, "id") ?? RequestId.New("call_"),
                Name = Str(call, "name") ?? throw new InvalidOperationException("A functionCall has no name."),
                ArgumentsJson = ArgumentsJson(call),
                ThoughtSignature = signature,
            });
            return true;
        }

        if (part.TryGetProperty("inlineData", out var inline) && inline.ValueKind == JsonValueKind.Object)
        {
            into.Add(new ImagePart { MediaType = Str(inline, "mimeType"), Base64Data = Str(inline, "data") ?? string.Empty });
            return false;
        }

        var text = Str(part, "text");
        if (IsThought(part))
        {
            into.Add(new ThinkingPart { Text = text ?? string.Empty, Signature = signature });
            return false;
        }

        if (signature is not null)
        {
            // Gemini signs the first part after its reasoning even when that is plain text. The canonical
            // model keeps signatures on reasoning, so an empty signed thinking part rides just before the text.
            into.Add(new ThinkingPart { Signature = signature });
        }

        if (text is not null)
        {
            into.Add(new TextPart(text));
        }

        return false;
    }

    /// <summary>The function call's arguments as JSON object text.</summary>
    internal static string ArgumentsJson(JsonElement call) =>
        call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? args.GetRawText() : "{}";

    /// <summary>Whether a part is the model's reasoning (<c>"thought": true</c>).</summary>
    internal static bool IsThought(JsonElement part) =>
        part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True;

    /// <summary>Finds <c>candidates[0]</c>.</summary>
    internal static bool TryFirstCandidate(JsonElement root, out JsonElement candidate)
    {
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array
            && candidates.GetArrayLength() > 0 && candidates[0].ValueKind == JsonValueKind.Object)
        {
            candidate = candidates[0];
            return true;
        }

        candidate = default;
        return false;
    }

    /// <summary>The <c>promptFeedback.blockReason</c>, if the prompt was blocked.</summary>
    internal static string? BlockReason(JsonElement root) =>
        root.TryGetProperty("promptFeedback", out var feedback) && feedback.ValueKind == JsonValueKind.Object
            ? Str(feedback, "blockReason")
            : null;

    /// <summary>The error for a prompt Gemini refused to answer.</summary>
    internal static GatewayError Blocked(string reason) =>
        new(ErrorKind.UpstreamError, $"Gemini blocked the prompt ({reason}). Change the request content and try again.", "content_blocked")
        {
            UpstreamStatus = 400,
        };

    /// <summary>Reads a Gemini <c>usageMetadata</c> object.</summary>
    public static Usage ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        var prompt = Count(usage, "promptTokenCount");
        var cached = Count(usage, "cachedContentTokenCount");
        var thoughts = Count(usage, "thoughtsTokenCount");

        // Gemini counts cached tokens inside promptTokenCount: canonical input excludes them so each class is
        // priced once. Tool-use prompt tokens (grounding, code execution results) are billed as input.
        return new Usage(
            Math.Max(0, prompt - cached) + Count(usage, "toolUsePromptTokenCount"),
            Count(usage, "candidatesTokenCount") + thoughts,
            cached,
            0,
            thoughts);
    }

    /// <summary>Maps a Gemini finishReason; a natural stop after function calls is a tool-call stop.</summary>
    public static FinishReason MapFinish(string? reason, bool calledTools) => reason switch
    {
        "MAX_TOKENS" => FinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT"
            => FinishReason.ContentFilter,
        _ => calledTools ? FinishReason.ToolCalls : FinishReason.Stop,
    };

    internal static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Count(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
