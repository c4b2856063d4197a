using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Reports;

/// <summary>
/// Reads a key's usage records for a range of UTC days. The usage table's partition key is <c>{keyId}|{yyyyMMdd}</c>,
/// so one key's days are one contiguous partition range: a single range query, never a scan of other keys.
/// </summary>
public sealed class UsageReader(BillingTables tables)
{
    public async IAsyncEnumerable<UsageRecord> ReadAsync(string keyId, DateOnly first, DateOnly last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = PartitionKey(keyId, first);
        var to = PartitionKey(keyId, last);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey le {to}");
        await foreach (var row in tables.Usage.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return UsageRecord.FromEntity(row);
        }
    }

    private static string PartitionKey(string keyId, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{keyId}|{day:yyyyMMdd}");
}
