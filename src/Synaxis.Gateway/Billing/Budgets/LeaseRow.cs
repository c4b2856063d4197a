using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// One instance's lease on one key, a row in the counters table beside the key's <see cref="KeyBalance"/> (partition key
/// = key id, row key <c>lease|{instance}</c>), so that a lease and the balance change together in one table transaction.
/// It says how much of the key's credit the instance holds (<see cref="Amount"/>, counted in the balance's
/// <see cref="KeyBalance.Leased"/>), how much spending it has moved into the balance so far (<see cref="Charged"/>), and
/// until when the instance is alive (<see cref="ExpiresAt"/>). Every instance serving a key holds one, also for keys
/// without credit, because it is also the claim on the instance's unfinished usage records.
/// </summary>
public sealed record LeaseRow
{
    public const string RowKeyPrefix = "lease|";

    public required string KeyId { get; init; }

    public required string Instance { get; init; }

    /// <summary>Credit held by the instance: reservations in flight and spending not yet moved into the balance.</summary>
    public decimal Amount { get; init; }

    /// <summary>Everything the instance has moved into the balance's Spent under this lease.</summary>
    public decimal Charged { get; init; }

    /// <summary>When the lease was taken; the instance's usage records under it started after this.</summary>
    public DateTimeOffset Since { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public ETag? ETag { get; init; }

    public static string RowKeyFor(string instance) => RowKeyPrefix + instance;

    public TableEntity ToEntity() => new(KeyId, RowKeyFor(Instance))
    {
        [nameof(Amount)] = Amount.ToString(CultureInfo.InvariantCulture),
        [nameof(Charged)] = Charged.ToString(CultureInfo.InvariantCulture),
        [nameof(Since)] = Since,
        [nameof(ExpiresAt)] = ExpiresAt,
    };

    public static LeaseRow FromEntity(TableEntity entity) => new()
    {
        KeyId = entity.PartitionKey,
        Instance = entity.RowKey[RowKeyPrefix.Length..],
        Amount = Parse(entity.GetString(nameof(Amount))),
        Charged = Parse(entity.GetString(nameof(Charged))),
        Since = entity.GetDateTimeOffset(nameof(Since)) ?? DateTimeOffset.MinValue,
        ExpiresAt = entity.GetDateTimeOffset(nameof(ExpiresAt)) ?? DateTimeOffset.MinValue,
        ETag = entity.ETag,
    };

    private static decimal Parse(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : 0m;
}
