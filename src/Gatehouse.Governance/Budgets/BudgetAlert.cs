namespace Gatehouse.Governance.Budgets;

/// <summary>A soft threshold of a budget crossed by a settled request.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="Threshold">The fraction crossed (for example 0.8).</param>
/// <param name="SpentNanoUsd">Spend in the window after the request.</param>
/// <param name="SpentTokens">Tokens in the window after the request.</param>
public readonly record struct BudgetAlert(BudgetLimit Budget, double Threshold, long SpentNanoUsd, long SpentTokens);
