namespace Gatehouse.Governance.Budgets;

/// <summary>
/// What a request wants to reserve: a fixed part (the prompt) plus a price per output token for up to
/// <see cref="MaxOutputTokens"/> tokens. The ledger grants as many output tokens as every budget can pay for.
/// </summary>
/// <param name="FixedNanoUsd">Cost of the prompt estimate.</param>
/// <param name="NanoUsdPerOutputToken">Price of one output token.</param>
/// <param name="FixedTokens">Tokens of the prompt estimate.</param>
/// <param name="MaxOutputTokens">Output tokens the request may produce (its max_tokens, or the model's maximum).</param>
/// <param name="MinOutputTokens">Fewest output tokens worth calling for; fewer affordable means rejection.</param>
public readonly record struct BudgetAsk(long FixedNanoUsd, long NanoUsdPerOutputToken, long FixedTokens, long MaxOutputTokens, long MinOutputTokens = 1)
{
    /// <summary>The reserved cost when <paramref name="outputTokens"/> are granted.</summary>
    public long NanoUsdFor(long outputTokens) => FixedNanoUsd + (NanoUsdPerOutputToken * outputTokens);

    /// <summary>The reserved tokens when <paramref name="outputTokens"/> are granted.</summary>
    public long TokensFor(long outputTokens) => FixedTokens + outputTokens;
}
