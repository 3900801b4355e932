namespace Gatehouse.Protocol.Canonical;

/// <summary>One piece of message content. Subclasses carry text, images, tool calls, tool results and reasoning.</summary>
public abstract class ContentPart
{
    /// <summary>An Anthropic-style <c>cache_control</c> mark carried byte for byte, or null.</summary>
    public string? CacheControlJson { get; set; }
}

/// <summary>Plain text.</summary>
public sealed class TextPart : ContentPart
{
    /// <summary>Creates a text part.</summary>
    public TextPart(string text) => Text = text;

    /// <summary>The text.</summary>
    public string Text { get; set; }
}

/// <summary>An image given by URL or inline base64 data.</summary>
public sealed class ImagePart : ContentPart
{
    /// <summary>An http(s) URL, when the image is referenced rather than inlined.</summary>
    public string? Url { get; init; }

    /// <summary>The media type of inline data, for example <c>image/png</c>.</summary>
    public string? MediaType { get; init; }

    /// <summary>Base64 image bytes, when inlined.</summary>
    public string? Base64Data { get; init; }

    /// <summary>The OpenAI <c>detail</c> hint (auto, low, high).</summary>
    public string? Detail { get; init; }

    /// <summary>Builds a part from an OpenAI <c>image_url</c> value, which may be a data URL.</summary>
    public static ImagePart FromUrl(string url, string? detail)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var semicolon = url.IndexOf(';', StringComparison.Ordinal);
            if (comma > 0 && semicolon > 5 && semicolon < comma)
            {
                return new ImagePart { MediaType = url[5..semicolon], Base64Data = url[(comma + 1)..], Detail = detail };
            }
        }

        return new ImagePart { Url = url, Detail = detail };
    }

    /// <summary>The image as a URL: the original URL or a data URL built from inline bytes.</summary>
    public string ToUrl() => Url ?? $"data:{MediaType};base64,{Base64Data}";
}

/// <summary>A call the model made to a tool.</summary>
public sealed class ToolCallPart : ContentPart
{
    /// <summary>The call id that the matching result refers to.</summary>
    public required string Id { get; set; }

    /// <summary>The tool name.</summary>
    public required string Name { get; set; }

    /// <summary>The arguments as a JSON text (an object).</summary>
    public string ArgumentsJson { get; set; } = "{}";

    /// <summary>Gemini's opaque thought signature attached to this call, carried byte for byte.</summary>
    public string? ThoughtSignature { get; set; }
}

/// <summary>The result of a tool call.</summary>
public sealed class ToolResultPart : ContentPart
{
    /// <summary>The id of the call this answers.</summary>
    public required string ToolCallId { get; init; }

    /// <summary>The result content (text and images).</summary>
    public List<ContentPart> Content { get; init; } = [];

    /// <summary>Whether the tool reported an error.</summary>
    public bool IsError { get; init; }

    /// <summary>The result content as one text.</summary>
    public string ContentText() => CanonicalText.Join(Content);
}

/// <summary>Model reasoning, with the provider's opaque signature kept byte for byte.</summary>
public sealed class ThinkingPart : ContentPart
{
    /// <summary>The visible reasoning text (may be empty).</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>The provider's signature over the reasoning, which must be sent back unchanged.</summary>
    public string? Signature { get; set; }

    /// <summary>Encrypted reasoning (Anthropic <c>redacted_thinking</c>), carried unchanged.</summary>
    public string? RedactedData { get; set; }
}
