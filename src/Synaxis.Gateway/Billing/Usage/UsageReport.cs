using Synaxis.Gateway.Billing.Ledger;

namespace Synaxis.Gateway.Billing.Reports;

/// <summary>One key's usage over a range of days: totals, and the same per UTC day and per model.</summary>
public sealed class UsageReport
{
    public UsageTotals Totals { get; } = new();

    public SortedDictionary<DateOnly, UsageTotals> Days { get; } = [];

    public SortedDictionary<string, UsageTotals> Models { get; } = new(StringComparer.Ordinal);

    public void Add(UsageRecord record)
    {
        Totals.Add(record);
        Of(Days, DateOnly.FromDateTime(record.StartedAt.UtcDateTime)).Add(record);
        Of(Models, record.Model).Add(record);
    }

    private static UsageTotals Of<TKey>(SortedDictionary<TKey, UsageTotals> totals, TKey key)
        where TKey : notnull
    {
        if (!totals.TryGetValue(key, out var found))
        {
            found = new UsageTotals();
            totals[key] = found;
        }

        return found;
    }
}
