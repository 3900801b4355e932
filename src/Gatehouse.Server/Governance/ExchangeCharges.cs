namespace Gatehouse.Server.Governance;

/// <summary>What a finished request actually used, for settling budgets and token limits.</summary>
/// <param name="CostUsd">Cost from the catalog, when priced.</param>
/// <param name="Tokens">Input plus output tokens the provider reported.</param>
public readonly record struct ExchangeCharges(decimal? CostUsd, long Tokens);
