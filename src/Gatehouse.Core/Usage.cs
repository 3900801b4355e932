namespace Gatehouse.Core;

/// <summary>Token counts for one exchange, by token class, as the provider reported them.</summary>
public readonly record struct Usage(
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens = 0,
    long CacheWriteTokens = 0,
    long ReasoningTokens = 0)
{
    /// <summary>Whether any count is known.</summary>
    public bool IsEmpty => InputTokens == 0 && OutputTokens == 0 && CachedInputTokens == 0 && CacheWriteTokens == 0;

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Combines counts, taking the larger of each (providers repeat cumulative totals in streams).</summary>
    public Usage MergeMax(Usage other) => new(
        Math.Max(InputTokens, other.InputTokens),
        Math.Max(OutputTokens, other.OutputTokens),
        Math.Max(CachedInputTokens, other.CachedInputTokens),
        Math.Max(CacheWriteTokens, other.CacheWriteTokens),
        Math.Max(ReasoningTokens, other.ReasoningTokens));
}
