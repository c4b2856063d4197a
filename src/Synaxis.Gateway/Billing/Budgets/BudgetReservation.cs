namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>What <see cref="IBudget.ReserveAsync"/> decided: the amount held for the call, or why it was refused.</summary>
/// <param name="Admitted">False when the key cannot afford the call: it gets 402.</param>
/// <param name="Amount">The amount held until the call settles.</param>
/// <param name="Reason">When refused, a message for the caller (what ran out; never another key's data).</param>
public sealed record BudgetReservation(bool Admitted, decimal Amount, string? Reason = null)
{
    /// <summary>For callers without credit or budget limits.</summary>
    public static readonly BudgetReservation Unlimited = new(true, 0m);
}
