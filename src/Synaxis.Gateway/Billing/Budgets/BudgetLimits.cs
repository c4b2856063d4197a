using Synaxis.Gateway.Billing.Keys;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>What bounds a key's spending: its prepaid credit (when <see cref="Prepaid"/>) and its monthly budget.</summary>
internal readonly record struct BudgetLimits(bool Prepaid, decimal? MonthlyBudget)
{
    public bool IsUnlimited => !Prepaid && MonthlyBudget is null;

    public static BudgetLimits Of(IssuedKey key) => new(key.Prepaid, key.MonthlyBudget);

    /// <summary>
    /// What the key can still commit beyond <paramref name="others"/> (other instances' leases) once <paramref name="flushed"/>
    /// more is spent, and which limit binds.
    /// </summary>
    public (decimal Available, string Exhausted) Available(KeyBalance balance, decimal flushed, decimal others, string month)
    {
        var prepaid = Prepaid ? balance.Credit - balance.Spent - flushed - others : decimal.MaxValue;
        var monthSpent = (balance.Month == month ? balance.MonthSpent : 0m) + flushed;
        var monthly = MonthlyBudget is { } budget ? budget - monthSpent - others : decimal.MaxValue;
        return prepaid <= monthly
            ? (prepaid, "This API key's prepaid credit is used up; add credit to continue.")
            : (monthly, "This API key's monthly budget is used up for this month.");
    }
}
