using Gatehouse.Protocol.Canonical;

namespace Gatehouse.Server.Governance;

/// <summary>
/// A quick upper-leaning estimate of a request's prompt tokens, for reservations and token limits before the
/// provider reports the exact count: one token per three UTF-16 characters of text, plus per-message and per-image overheads.
/// </summary>
public static class PromptEstimate
{
    private const int PerMessage = 8;
    private const int PerImage = 1_600;

    /// <summary>Estimated prompt tokens of a chat request.</summary>
    public static long Tokens(ChatRequest request)
    {
        long chars = 0;
        long tokens = PerMessage;
        foreach (var message in request.Messages)
        {
            tokens += PerMessage;
            foreach (var part in message.Parts)
            {
                switch (part)
                {
                    case TextPart text:
                        chars += text.Text.Length;
                        break;
                    case ImagePart:
                        tokens += PerImage;
                        break;
                    case ToolCallPart call:
                        chars += call.Name.Length + call.ArgumentsJson.Length;
                        break;
                    case ToolResultPart result:
                        chars += result.ContentText().Length;
                        break;
                    case ThinkingPart thinking:
                        chars += thinking.Text.Length;
                        break;
                }
            }
        }

        foreach (var tool in request.Tools)
        {
            chars += tool.Name.Length + (tool.Description?.Length ?? 0) + tool.ParametersJson.Length;
        }

        return tokens + ((chars + 2) / 3);
    }

    /// <summary>Estimated tokens of embedding inputs.</summary>
    public static long Tokens(IReadOnlyList<string> inputs)
    {
        long chars = 0;
        foreach (var input in inputs)
        {
            chars += input.Length;
        }

        return inputs.Count + ((chars + 2) / 3);
    }
}
