using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// A key's money, one row in the counters table (partition key = key id, row key <c>balance</c>), changed only with
/// optimistic concurrency on its ETag so that top-ups, leases and settlements from many instances never overwrite
/// each other. Amounts are decimals stored as invariant strings.
/// </summary>
public sealed record KeyBalance
{
    public const string RowKey = "balance";

    public required string KeyId { get; init; }

    /// <summary>All prepaid credit ever added (top-ups).</summary>
    public decimal Credit { get; init; }

    /// <summary>All settled spending.</summary>
    public decimal Spent { get; init; }

    /// <summary>Amounts instances hold for calls in flight or not yet settled into <see cref="Spent"/>.</summary>
    public decimal Leased { get; init; }

    /// <summary>The calendar month (UTC, <c>yyyyMM</c>) that <see cref="MonthSpent"/> counts.</summary>
    public string? Month { get; init; }

    /// <summary>Settled spending in <see cref="Month"/>, against the key's monthly budget.</summary>
    public decimal MonthSpent { get; init; }

    /// <summary>The row's ETag when read; null for a row not stored yet.</summary>
    public ETag? ETag { get; init; }

    /// <summary>
    /// Prepaid credit not spent, as callers are shown it: not less the leases, most of which is room for calls not made
    /// yet (a small credit would read as used up whenever a call is in flight). Spending reaches it within the flush interval.
    /// </summary>
    public decimal Remaining => Math.Max(0m, Credit - Spent);

    public static string MonthOf(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);

    public TableEntity ToEntity() => new(KeyId, RowKey)
    {
        [nameof(Credit)] = Format(Credit),
        [nameof(Spent)] = Format(Spent),
        [nameof(Leased)] = Format(Leased),
        [nameof(Month)] = Month,
        [nameof(MonthSpent)] = Format(MonthSpent),
    };

    public static KeyBalance FromEntity(TableEntity entity) => new()
    {
        KeyId = entity.PartitionKey,
        Credit = Parse(entity.GetString(nameof(Credit))),
        Spent = Parse(entity.GetString(nameof(Spent))),
        Leased = Parse(entity.GetString(nameof(Leased))),
        Month = entity.GetString(nameof(Month)),
        MonthSpent = Parse(entity.GetString(nameof(MonthSpent))),
        ETag = entity.ETag,
    };

    private static string Format(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    private static decimal Parse(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : 0m;
}
