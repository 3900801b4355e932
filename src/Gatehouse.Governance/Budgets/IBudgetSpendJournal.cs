namespace Gatehouse.Governance.Budgets;

/// <summary>Where the in-process budget counter sends settled spend so it survives a restart.</summary>
public interface IBudgetSpendJournal
{
    /// <summary>Records spend added to a budget window's account (enqueue only; written in batches).</summary>
    void Record(string account, long nanoUsd, long tokens);
}
