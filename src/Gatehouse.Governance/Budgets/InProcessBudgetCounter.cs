namespace Gatehouse.Governance.Budgets;

/// <summary>
/// Budget counters of one gateway process. One lock covers a whole multi-budget reservation, so reservations are
/// exact under any concurrency; settled spend goes to a journal and is seeded back at start.
/// </summary>
public sealed class InProcessBudgetCounter : IBudgetCounter
{
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IBudgetSpendJournal? _journal;

    /// <summary>Creates the counter.</summary>
    public InProcessBudgetCounter(TimeProvider time, IBudgetSpendJournal? journal = null)
    {
        _time = time;
        _journal = journal;
    }

    /// <summary>The counter key of a budget's window that contains <paramref name="now"/>.</summary>
    public static string AccountOf(BudgetLimit budget, DateTimeOffset now) =>
        string.Concat(budget.Id, "@", BudgetWindow.StartOf(budget.Period, now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Loads spend recorded before a restart.</summary>
    public void Seed(string account, long nanoUsd, long tokens)
    {
        lock (_gate)
        {
            var entry = Get(account);
            entry.SpentNanoUsd += nanoUsd;
            entry.SpentTokens += tokens;
        }
    }

    /// <inheritdoc />
    public ValueTask<BudgetOutcome> TryReserveAsync(IReadOnlyList<BudgetLimit> budgets, BudgetAsk ask, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var accounts = new string[budgets.Count];
        lock (_gate)
        {
            var granted = ask.MaxOutputTokens;
            for (var i = 0; i < budgets.Count; i++)
            {
                var budget = budgets[i];
                accounts[i] = AccountOf(budget, now);
                var entry = Get(accounts[i]);
                var affordable = Affordable(budget, entry, ask);
                if (affordable < ask.MinOutputTokens)
                {
                    var left = budget.MaxNanoUsd is { } max ? Math.Max(0, max - entry.SpentNanoUsd - entry.ReservedNanoUsd) : 0;
                    return ValueTask.FromResult(new BudgetOutcome(null, budget, left, BudgetWindow.NextStart(budget.Period, now)));
                }

                granted = Math.Min(granted, affordable);
            }

            var nano = ask.NanoUsdFor(granted);
            var tokens = ask.TokensFor(granted);
            foreach (var account in accounts)
            {
                var entry = Get(account);
                entry.ReservedNanoUsd += nano;
                entry.ReservedTokens += tokens;
            }

            return ValueTask.FromResult(new BudgetOutcome(new BudgetReservation(budgets, accounts, nano, tokens, granted), null, 0, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BudgetAlert>> SettleAsync(BudgetReservation reservation, long actualNanoUsd, long actualTokens, CancellationToken cancellationToken)
    {
        List<BudgetAlert>? alerts = null;
        lock (_gate)
        {
            if (reservation.Settled)
            {
                return ValueTask.FromResult<IReadOnlyList<BudgetAlert>>([]);
            }

            reservation.Settled = true;
            for (var i = 0; i < reservation.Accounts.Count; i++)
            {
                var entry = Get(reservation.Accounts[i]);
                var budget = reservation.Budgets[i];
                var before = Fraction(budget, entry);
                entry.ReservedNanoUsd -= reservation.NanoUsd;
                entry.ReservedTokens -= reservation.Tokens;
                entry.SpentNanoUsd += actualNanoUsd;
                entry.SpentTokens += actualTokens;
                var after = Fraction(budget, entry);
                foreach (var threshold in budget.SoftThresholds)
                {
                    if (before < threshold && after >= threshold)
                    {
                        (alerts ??= []).Add(new BudgetAlert(budget, threshold, entry.SpentNanoUsd, entry.SpentTokens));
                    }
                }
            }
        }

        if (_journal is not null && (actualNanoUsd != 0 || actualTokens != 0))
        {
            foreach (var account in reservation.Accounts)
            {
                _journal.Record(account, actualNanoUsd, actualTokens);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<BudgetAlert>>(alerts is null ? [] : alerts);
    }

    /// <inheritdoc />
    public ValueTask<(long NanoUsd, long Tokens)> SpentAsync(BudgetLimit budget, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var entry = Get(AccountOf(budget, _time.GetUtcNow()));
            return ValueTask.FromResult((entry.SpentNanoUsd, entry.SpentTokens));
        }
    }

    private static long Affordable(BudgetLimit budget, Account entry, BudgetAsk ask)
    {
        var affordable = ask.MaxOutputTokens;
        if (budget.MaxNanoUsd is { } maxUsd)
        {
            var left = maxUsd - entry.SpentNanoUsd - entry.ReservedNanoUsd - ask.FixedNanoUsd;
            affordable = left < 0 ? -1 : ask.NanoUsdPerOutputToken <= 0 ? affordable : Math.Min(affordable, left / ask.NanoUsdPerOutputToken);
        }

        if (budget.MaxTokens is { } maxTokens && affordable >= 0)
        {
            var left = maxTokens - entry.SpentTokens - entry.ReservedTokens - ask.FixedTokens;
            affordable = left < 0 ? -1 : Math.Min(affordable, left);
        }

        return affordable;
    }

    private static double Fraction(BudgetLimit budget, Account entry)
    {
        var usd = budget.MaxNanoUsd is > 0 and var maxUsd ? (double)entry.SpentNanoUsd / maxUsd : 0;
        var tokens = budget.MaxTokens is > 0 and var maxTokens ? (double)entry.SpentTokens / maxTokens : 0;
        return Math.Max(usd, tokens);
    }

    private Account Get(string account)
    {
        if (!_accounts.TryGetValue(account, out var entry))
        {
            entry = new Account();
            _accounts[account] = entry;
        }

        return entry;
    }

    private sealed class Account
    {
        public long SpentNanoUsd;
        public long ReservedNanoUsd;
        public long SpentTokens;
        public long ReservedTokens;
    }
}
