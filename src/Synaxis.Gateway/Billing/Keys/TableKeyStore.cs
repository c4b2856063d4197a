using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>Issued keys in the keys table (<see cref="BillingTables.Keys"/>), one row per key.</summary>
public sealed class TableKeyStore(BillingTables tables) : IKeyStore
{
    private readonly TableClient _keys = tables.Keys;

    public async Task<bool> CreateAsync(IssuedKey key, CancellationToken cancellationToken)
    {
        try
        {
            await _keys.AddEntityAsync(IssuedKeyRow.ToEntity(key), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException conflict) when (conflict.Status == 409)
        {
            return false;
        }
    }

    public async Task<StoredKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await _keys.GetEntityIfExistsAsync<TableEntity>(id, string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } entity ? new StoredKey(IssuedKeyRow.FromEntity(entity), entity.ETag) : null;
    }

    public async IAsyncEnumerable<IssuedKey> ListAsync(string? owner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = owner is null
            ? _keys.QueryAsync<TableEntity>(cancellationToken: cancellationToken)
            : _keys.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Owner eq {owner}"), cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            yield return IssuedKeyRow.FromEntity(row);
        }
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await foreach (var page in _keys.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken)
                           .AsPages().ConfigureAwait(false))
        {
            if (page.Values.Count > 0)
            {
                return true;
            }

            // An empty page with a continuation token is possible; keep reading until the end.
        }

        return false;
    }

    public async Task<bool> UpdateAsync(IssuedKey key, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await _keys.UpdateEntityAsync(IssuedKeyRow.ToEntity(key), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException conflict) when (conflict.Status == 412)
        {
            return false;
        }
    }
}
