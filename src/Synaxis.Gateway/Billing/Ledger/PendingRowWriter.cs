using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>
/// Stores pending usage rows with group commit: the first row of a partition is written at once; rows of the same
/// partition that arrive while that write is in flight go together in the next table transaction (up to 100 rows).
/// A lone call waits one write, as before; a busy key costs one storage operation per batch instead of one per call,
/// which keeps it off the partition's throughput limit. Each caller learns whether its own row was stored.
/// </summary>
internal sealed class PendingRowWriter(TableClient table)
{
    private const int MaxBatch = 100; // the most operations one table transaction takes

    private readonly ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);

    /// <summary>
    /// Completes once <paramref name="row"/> is stored, or fails with the storage error. Not cancellable: once asked
    /// for, the row may land, and the call must then be settled rather than forgotten.
    /// </summary>
    public Task WriteAsync(TableEntity row)
    {
        var partition = _partitions.GetOrAdd(row.PartitionKey, static key => new Partition(key));
        var waiter = new Waiter(row);
        bool lead;
        lock (partition)
        {
            partition.Queue.Add(waiter);
            lead = !partition.Writing;
            partition.Writing = true;
        }

        if (lead)
        {
            _ = DrainAsync(partition);
        }

        return waiter.Stored.Task;
    }

    private async Task DrainAsync(Partition partition)
    {
        while (true)
        {
            List<Waiter> batch;
            lock (partition)
            {
                if (partition.Queue.Count == 0)
                {
                    // Forgotten when idle, so a day's partitions of many keys do not pile up. A writer that took this
                    // entry just before still drains it itself; one that comes after starts a fresh one.
                    partition.Writing = false;
                    _partitions.TryRemove(new KeyValuePair<string, Partition>(partition.Key, partition));
                    return;
                }

                var count = Math.Min(MaxBatch, partition.Queue.Count);
                batch = partition.Queue.GetRange(0, count);
                partition.Queue.RemoveRange(0, count);
            }

            try
            {
                if (batch.Count == 1)
                {
                    await table.UpsertEntityAsync(batch[0].Row, TableUpdateMode.Replace).ConfigureAwait(false);
                }
                else
                {
                    // A transaction may hold each row once; a row asked for twice is the same row, the last one wins.
                    var rows = batch.GroupBy(w => w.Row.RowKey, StringComparer.Ordinal).Select(g => g.Last().Row);
                    await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)))
                        .ConfigureAwait(false);
                }

                foreach (var waiter in batch)
                {
                    waiter.Stored.TrySetResult();
                }
            }
#pragma warning disable CA1031 // every waiter gets the storage failure as its own; the drain goes on with the next batch
            catch (Exception exception)
#pragma warning restore CA1031
            {
                foreach (var waiter in batch)
                {
                    waiter.Stored.TrySetException(exception);
                }
            }
        }
    }

    private sealed class Partition(string key)
    {
        public string Key { get; } = key;

        public List<Waiter> Queue { get; } = [];

        public bool Writing { get; set; }
    }

    private sealed class Waiter(TableEntity row)
    {
        public TableEntity Row { get; } = row;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
