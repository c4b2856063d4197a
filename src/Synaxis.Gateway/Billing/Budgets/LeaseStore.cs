using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// Moves a <see cref="KeySlice"/> and the key's <see cref="KeyBalance"/> together in one table transaction (both rows
/// share the key's partition): settled spending goes from the lease into <see cref="KeyBalance.Spent"/>, and the lease
/// grows (a refill, only when the balance has room) or shrinks. The balance row is guarded by its ETag, the lease row by
/// the ETag this instance last wrote: a concurrent change elsewhere makes the transaction fail whole, and it is retried
/// on fresh figures, so no top-up, lease or settlement is ever lost or applied twice.
/// </summary>
internal sealed class LeaseStore(BillingTables tables, string instance, TimeProvider time, TimeSpan leaseDuration)
{
    private const int Attempts = 30;

    // A call's start time is taken just before its lease is; a lease dates itself back so its first calls fall under it.
    private static readonly TimeSpan SinceMargin = TimeSpan.FromSeconds(10);

    public string Instance { get; } = instance;

    /// <summary>
    /// Flushes the slice's stored spending and sets its lease to cover what is in flight plus <paramref name="need"/> and
    /// <paramref name="slack"/>. With <paramref name="need"/> above zero, refuses (changing nothing but the flush) when
    /// the key cannot afford it. With <paramref name="release"/>, gives the lease back and deletes its row.
    /// Call under the slice's gate.
    /// </summary>
    public async Task<(bool Admitted, string? Reason)> SyncAsync(
        KeySlice slice, BudgetLimits limits, decimal need, decimal slack, bool release, CancellationToken cancellationToken)
    {
        var issued = IsIssuedKeyId(slice.KeyId);
        for (var attempt = 0; ; attempt++)
        {
            decimal held, settling, flushed, granted;
            lock (slice)
            {
                (held, settling, flushed, granted) = (slice.Held, slice.Settling, slice.Unflushed, slice.Granted);
            }

            var now = time.GetUtcNow();
            var month = KeyBalance.MonthOf(now);
            var committed = held + settling;
            var balance = issued ? await ReadBalanceAsync(slice.KeyId, cancellationToken).ConfigureAwait(false) : null;
            var others = (balance?.Leased ?? 0m) - granted;
            bool admitted = true;
            string? reason = null;
            decimal lease;
            if (limits.IsUnlimited || balance is null)
            {
                lease = 0m;
            }
            else
            {
                var (available, exhausted) = limits.Available(balance, flushed, others, month);
                if (need > 0 && available < committed + need)
                {
                    (admitted, reason) = (false, exhausted);
                }

                lease = release ? committed
                    : need > 0 && admitted ? Math.Min(committed + need + slack, available)
                    : Math.Max(committed, Math.Min(granted - flushed, available));
                lease = Math.Max(lease, committed);
            }

            var actions = new List<TableTransactionAction>(2);
            if (balance is not null && (flushed != 0m || lease != granted))
            {
                var sameMonth = balance.Month == month;
                var updated = balance with
                {
                    Spent = balance.Spent + flushed,
                    Leased = Math.Max(0m, others + lease),
                    Month = month,
                    MonthSpent = (sameMonth ? balance.MonthSpent : 0m) + flushed,
                };
                actions.Add(balance.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, updated.ToEntity(), etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, updated.ToEntity()));
            }

            var row = new LeaseRow
            {
                KeyId = slice.KeyId,
                Instance = Instance,
                Amount = lease,
                Charged = slice.Charged + flushed,
                Since = slice.HasLease ? slice.Since : now - SinceMargin,
                ExpiresAt = now + leaseDuration,
            };
            var deleting = release && committed == 0m && slice.HasLease;
            actions.Add(!slice.HasLease ? new TableTransactionAction(TableTransactionActionType.Add, row.ToEntity())
                : deleting ? new TableTransactionAction(TableTransactionActionType.Delete, row.ToEntity(), slice.LeaseETag!.Value)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row.ToEntity(), slice.LeaseETag!.Value));

            try
            {
                var response = await tables.Counters.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                lock (slice)
                {
                    slice.Unflushed -= flushed;
                    slice.Charged = deleting ? 0m : row.Charged;
                    slice.Granted = deleting ? 0m : lease;
                    slice.Since = row.Since;
                    slice.ExpiresAt = row.ExpiresAt;
                    slice.LeaseETag = deleting ? null : response.Value[^1].Headers.ETag;
                }

                return (admitted, reason);
            }
            catch (TableTransactionFailedException failed) when (attempt < Attempts && failed.Status is 409 or 412 or 404)
            {
                if (failed.FailedTransactionActionIndex == actions.Count - 1 && slice.HasLease)
                {
                    // Our lease row is gone or changed: reconciliation took this instance for dead and settled its lease
                    // from the ledger (charging what the stored usage records cost). Start a fresh lease.
                    lock (slice)
                    {
                        slice.Unflushed -= flushed;
                        slice.Granted = 0m;
                        slice.Charged = 0m;
                        slice.LeaseETag = null;
                    }
                }

                // Another instance moved the balance first: back off a little, randomly, so the two do not collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 + 10 * Math.Min(attempt, 10))), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Configured and anonymous callers have no balance; every other key id is an issued key's.</summary>
    public static bool IsIssuedKeyId(string keyId) => keyId is not (Caller.ConfiguredKeyId or Caller.AnonymousKeyId);

    private async Task<KeyBalance> ReadBalanceAsync(string keyId, CancellationToken cancellationToken)
    {
        var read = await tables.Counters.GetEntityIfExistsAsync<TableEntity>(keyId, KeyBalance.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return read.HasValue ? KeyBalance.FromEntity(read.Value!) : new KeyBalance { KeyId = keyId };
    }
}
