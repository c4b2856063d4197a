using Azure;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// Reads a key's <see cref="KeyBalance"/> and adds prepaid credit to it. The balance row is shared with every instance's
/// spending, so a top-up is read → add → conditional write on the ETag, again from the read when another writer won.
/// </summary>
public sealed class KeyCredit(BillingTables tables)
{
    private const int MaxAttempts = 50;

    private readonly TableClient _counters = tables.Counters;

    /// <summary>The key's balance; an empty one when nothing was ever credited or spent.</summary>
    public async Task<KeyBalance> ReadAsync(string keyId, CancellationToken cancellationToken)
    {
        var row = await _counters.GetEntityIfExistsAsync<TableEntity>(keyId, KeyBalance.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } entity ? KeyBalance.FromEntity(entity) : new KeyBalance { KeyId = keyId };
    }

    /// <summary>Adds <paramref name="amount"/> to the key's credit and returns the balance written.</summary>
    public async Task<KeyBalance> AddAsync(string keyId, decimal amount, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var balance = await ReadAsync(keyId, cancellationToken).ConfigureAwait(false);
            var topped = balance with { Credit = balance.Credit + amount };
            try
            {
                var written = balance.ETag is { } etag
                    ? await _counters.UpdateEntityAsync(topped.ToEntity(), etag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false)
                    : await _counters.AddEntityAsync(topped.ToEntity(), cancellationToken).ConfigureAwait(false);
                return topped with { ETag = written.Headers.ETag };
            }
            catch (RequestFailedException lost) when ((lost.Status is 409 or 412) && attempt < MaxAttempts)
            {
                // Another instance wrote the row between our read and write; read it again and add to what it wrote.
            }
        }
    }
}
