namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// Prepaid credit and monthly budgets of issued keys. Before a call its largest possible cost is reserved; when it
/// ends the reservation is settled to the real cost. Reservations that are never settled (a process died) expire
/// and are reconciled from the usage ledger.
/// </summary>
public interface IBudget
{
    /// <summary>Reserves <paramref name="maxCost"/> for the call, or refuses when the key has too little credit or budget left.</summary>
    ValueTask<BudgetReservation> ReserveAsync(Caller caller, string requestId, decimal maxCost, CancellationToken cancellationToken);

    /// <summary>Turns the reservation into the real cost; what was reserved beyond it is freed.</summary>
    ValueTask SettleAsync(Caller caller, BudgetReservation reservation, decimal actualCost);
}
