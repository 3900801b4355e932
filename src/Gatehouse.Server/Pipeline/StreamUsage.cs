using Gatehouse.Core;
using Gatehouse.Protocol.Canonical;
using Gatehouse.Server.Governance;

namespace Gatehouse.Server.Pipeline;

/// <summary>
/// What a stream that reached the client is charged. The provider's usage when it came; where it did not (the stream
/// was cut, the client left, the budget cut it, or the provider reports no usage), an estimate, so that ending a
/// stream early never makes an answer free: the prompt's estimated tokens, and the output's characters at four a token.
/// </summary>
public static class StreamUsage
{
    /// <summary>
    /// Completes <paramref name="reported"/>. A stream that ended with its end marker keeps every count its provider
    /// gave and estimates only the missing ones; one that did not may have seen only early counts (an Anthropic
    /// message_start holds one output token), so its output is at least the estimate.
    /// </summary>
    public static Usage Complete(Usage reported, long promptTokens, long outputChars, bool finished)
    {
        var outputEstimate = (outputChars + 3) / 4;
        var input = InputReported(reported) ? reported.InputTokens : promptTokens;
        var output = finished && reported.OutputTokens > 0 ? reported.OutputTokens : Math.Max(reported.OutputTokens, outputEstimate);
        return reported with { InputTokens = input, OutputTokens = output };
    }

    /// <summary>As <see cref="Complete(Usage, long, long, bool)"/>, estimating the prompt of <paramref name="request"/> only when its input was not reported.</summary>
    public static Usage Complete(Usage reported, ChatRequest request, long outputChars, bool finished) =>
        Complete(reported, InputReported(reported) ? 0 : PromptEstimate.Tokens(request), outputChars, finished);

    // A provider that reports cache reads or writes reported the input, even when no uncached token was left.
    private static bool InputReported(Usage usage) => usage.InputTokens > 0 || usage.CachedInputTokens > 0 || usage.CacheWriteTokens > 0;
}
