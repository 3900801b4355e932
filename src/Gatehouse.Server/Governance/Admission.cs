using Gatehouse.Governance.Budgets;
using Gatehouse.Governance.RateLimits;

namespace Gatehouse.Server.Governance;

/// <summary>
/// What admit took for one request — a budget reservation, concurrency slots, token-limit estimates — to be settled
/// with actual usage and released when the request ends, exactly once.
/// </summary>
public sealed class Admission
{
    /// <summary>An admission that holds nothing (open mode, no limits).</summary>
    public static Admission None { get; } = new(null, [], [], 0, null);

    /// <summary>Creates an admission.</summary>
    public Admission(BudgetReservation? reservation, IReadOnlyList<string> concurrencyKeys, IReadOnlyList<(string Key, RateLimitRule Rule)> tokenLimits, long estimatedTokens, int? grantedMaxTokens)
    {
        Reservation = reservation;
        ConcurrencyKeys = concurrencyKeys;
        TokenLimits = tokenLimits;
        EstimatedTokens = estimatedTokens;
        GrantedMaxTokens = grantedMaxTokens;
    }

    /// <summary>The budget reservation, when budgets apply.</summary>
    public BudgetReservation? Reservation { get; }

    /// <summary>Concurrency counters entered.</summary>
    public IReadOnlyList<string> ConcurrencyKeys { get; }

    /// <summary>Token-per-minute counters charged with the estimate.</summary>
    public IReadOnlyList<(string Key, RateLimitRule Rule)> TokenLimits { get; }

    /// <summary>Prompt tokens charged up front to token limits.</summary>
    public long EstimatedTokens { get; }

    /// <summary>The output-token limit the budgets can pay for, when a budget clamped it.</summary>
    public int? GrantedMaxTokens { get; }

    /// <summary>Whether settle ran.</summary>
    public bool Finished { get; set; }
}
