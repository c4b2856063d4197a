namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// Prepaid credit and monthly budgets through per-instance leases (<see cref="InstanceLeases"/>): a call reserves its
/// largest possible cost from this instance's slice of the key's credit, with no storage round trip while the slice has
/// room; a slice is refilled from the key's shared balance in one ETag-guarded transaction. Keys without credit or
/// budget limits are admitted at once; their spending is still counted into their balance.
/// </summary>
public sealed class LeasedBudget(InstanceLeases leases) : IBudget
{
    public async ValueTask<BudgetReservation> ReserveAsync(Caller caller, string requestId, decimal maxCost, CancellationToken cancellationToken)
    {
        if (caller.Key is not { } key)
        {
            return BudgetReservation.Unlimited;
        }

        var limits = BudgetLimits.Of(key);
        var amount = limits.IsUnlimited ? 0m : maxCost;
        var (admitted, reason) = await leases.ReserveAsync(caller.KeyId, limits, amount, cancellationToken).ConfigureAwait(false);
        return admitted ? new BudgetReservation(true, amount) : new BudgetReservation(false, 0m, reason);
    }

    public ValueTask SettleAsync(Caller caller, BudgetReservation reservation, decimal actualCost)
    {
        if (caller.IsIssued)
        {
            leases.Settle(caller.KeyId, reservation.Amount, actualCost);
        }

        return ValueTask.CompletedTask;
    }
}
