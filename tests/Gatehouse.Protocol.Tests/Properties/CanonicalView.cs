using System.Text.Json.Nodes;
using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Protocol.Tests.Properties;

/// <summary>
/// A comparable view of a canonical request that keeps what every dialect keeps and forgets what a wire format
/// may legitimately reshape: message boundaries (Anthropic merges same-role turns), and the split of adjacent
/// plain text parts (joined with a newline, or with nothing inside one assistant message, as the encoders do).
/// Tool arguments and schemas are compared as JSON values.
/// </summary>
internal static class CanonicalView
{
    /// <summary>The conversation as a flat list of parts, each tagged with its role.</summary>
    public static JsonArray Parts(ChatRequest request)
    {
        var parts = new JsonArray();
        foreach (var message in request.Messages)
        {
            var role = message.Role.ToString();
            foreach (var part in message.Parts)
            {
                if (part is TextPart { CacheControlJson: null } text && parts.Count > 0 && parts[^1] is JsonObject previous
                    && (string?)previous["kind"] == "text" && (string?)previous["role"] == role && previous["cache"] is null)
                {
                    previous["text"] = (string?)previous["text"] + (message.Role == Role.Assistant ? string.Empty : "\n") + text.Text;
                    continue;
                }

                var view = Part(part);
                view["role"] = role;
                parts.Add(view);
            }
        }

        return parts;
    }

    /// <summary>The tool definitions, with their schemas as JSON.</summary>
    public static JsonArray Tools(ChatRequest request) =>
        [.. request.Tools.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["description"] = t.Description,
            ["parameters"] = JsonNode.Parse(t.ParametersJson),
        })];

    private static JsonObject Part(ContentPart part)
    {
        var view = part switch
        {
            TextPart text => new JsonObject { ["kind"] = "text", ["text"] = text.Text },
            ImagePart image => new JsonObject { ["kind"] = "image", ["url"] = image.Url, ["media"] = image.MediaType, ["data"] = image.Base64Data },
            ToolCallPart call => new JsonObject { ["kind"] = "tool_call", ["id"] = call.Id, ["name"] = call.Name, ["arguments"] = JsonNode.Parse(call.ArgumentsJson) },
            ToolResultPart result => new JsonObject { ["kind"] = "tool_result", ["id"] = result.ToolCallId, ["content"] = CanonicalText.Join(result.Content), ["error"] = result.IsError },
            ThinkingPart thinking => new JsonObject { ["kind"] = "thinking", ["text"] = thinking.Text, ["signature"] = thinking.Signature, ["redacted"] = thinking.RedactedData },
            _ => new JsonObject { ["kind"] = part.GetType().Name },
        };
        if (part.CacheControlJson is { } cache)
        {
            view["cache"] = JsonNode.Parse(cache);
        }

        return view;
    }
}
