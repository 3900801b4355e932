namespace Gatehouse.Governance.Budgets;

/// <summary>The result of a reservation: a reservation, or the budget that cannot pay.</summary>
/// <param name="Reservation">The reservation when granted.</param>
/// <param name="Exhausted">The budget that refused, when denied.</param>
/// <param name="RemainingNanoUsd">What that budget had left.</param>
/// <param name="ResetsAt">When that budget's window starts over (null for lifetime).</param>
public readonly record struct BudgetOutcome(BudgetReservation? Reservation, BudgetLimit? Exhausted, long RemainingNanoUsd, DateTimeOffset? ResetsAt);
