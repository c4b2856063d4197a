using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>
/// Writes settled usage records in the background so that no client waits for them: records queue in a channel, are
/// written in table transactions of one partition each (up to 100 rows), retried with backoff while storage fails,
/// and drained when the host stops. A record replaces its pending row (same keys), so a retried write is harmless.
/// Once a record is stored, its call lets go of its key's lease (<see cref="InstanceLeases.Exit"/>).
/// </summary>
public sealed partial class UsageWriter(BillingTables tables, InstanceLeases leases, TimeProvider time, ILogger<UsageWriter> logger) : IHostedService
{
    private const int MaxBatch = 100; // the most operations one table transaction takes
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Channel<UsageRecord> _queue = Channel.CreateUnbounded<UsageRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abandon = new();
    private Task? _loop;

    /// <summary>Queues a settled record; never blocks, never throws.</summary>
    public void Enqueue(UsageRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            LogDropped(record.RequestId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Writes what is queued before the host goes; if storage stays down past the host's shutdown time, the rest is left to reconciliation.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            return;
        }

        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken abandon)
    {
        var batch = new List<UsageRecord>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            foreach (var partition in batch.GroupBy(r => r.PartitionKey))
            {
                // A transaction may hold each row once; a repeated record is the same row, the last one wins.
                var rows = partition.GroupBy(r => r.RequestId).Select(g => g.Last()).ToList();
                if (!await WriteAsync(rows, abandon).ConfigureAwait(false))
                {
                    return;
                }

                foreach (var record in partition)
                {
                    leases.Exit(record.KeyId, record.Cost);
                }
            }

            batch.Clear();
        }
    }

    private async Task<bool> WriteAsync(List<UsageRecord> rows, CancellationToken abandon)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                if (rows.Count == 1)
                {
                    await tables.Usage.UpsertEntityAsync(rows[0].ToEntity(), TableUpdateMode.Replace, abandon).ConfigureAwait(false);
                }
                else
                {
                    await tables.Usage.SubmitTransactionAsync(
                        rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.ToEntity())), abandon).ConfigureAwait(false);
                }

                return true;
            }
            catch (Exception exception) when (exception is RequestFailedException or TableTransactionFailedException or HttpRequestException)
            {
                LogRetry(rows.Count, rows[0].PartitionKey, exception.Message, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, time, abandon).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogAbandoned(rows.Count + _queue.Reader.Count);
                    return false;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "Writing {Count} usage records of {Partition} failed ({Error}); retrying in {BackoffMs} ms")]
    private partial void LogRetry(int count, string partition, string error, double backoffMs);

    [LoggerMessage(EventId = 621, Level = LogLevel.Error, Message = "Usage record {RequestId} arrived after shutdown; its pending row will be reconciled")]
    private partial void LogDropped(string requestId);

    [LoggerMessage(EventId = 622, Level = LogLevel.Error, Message = "Shutdown left {Count} settled usage records unwritten; their pending rows will be reconciled")]
    private partial void LogAbandoned(int count);
}
