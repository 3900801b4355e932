namespace Gatehouse.Governance.Budgets;

/// <summary>Spend held against budgets for one request until it settles with actual usage.</summary>
public sealed class BudgetReservation
{
    private int _settled;

    /// <summary>Creates a reservation.</summary>
    public BudgetReservation(IReadOnlyList<BudgetLimit> budgets, IReadOnlyList<string> accounts, long nanoUsd, long tokens, long grantedOutputTokens)
    {
        Budgets = budgets;
        Accounts = accounts;
        NanoUsd = nanoUsd;
        Tokens = tokens;
        GrantedOutputTokens = grantedOutputTokens;
    }

    /// <summary>The budgets held, in the same order as <see cref="Accounts"/>.</summary>
    public IReadOnlyList<BudgetLimit> Budgets { get; }

    /// <summary>The counter of each budget's current window.</summary>
    public IReadOnlyList<string> Accounts { get; }

    /// <summary>Cost held.</summary>
    public long NanoUsd { get; }

    /// <summary>Tokens held.</summary>
    public long Tokens { get; }

    /// <summary>Output tokens the request may use (its max_tokens after clamping).</summary>
    public long GrantedOutputTokens { get; }

    /// <summary>Whether settle already ran (a reservation settles once).</summary>
    public bool Settled { get => _settled != 0; internal set => _settled = value ? 1 : 0; }

    /// <summary>The id of the lease a shared counter holds for it (null for the in-process counter).</summary>
    public string? Lease { get; init; }

    /// <summary>Marks the reservation settled; false when it already was (settle runs once).</summary>
    public bool TryMarkSettled() => Interlocked.Exchange(ref _settled, 1) == 0;
}
