using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Billing.Reconciliation;

/// <summary>
/// Settles the expired lease of a dead instance from the usage ledger. The algorithm, safe to run on any number of
/// instances at once:
/// <list type="number">
/// <item>Read the instance's usage records for the key since the lease was taken.</item>
/// <item>Close each pending one as <see cref="UsageState.Interrupted"/>, priced from what is known (its prompt), with an
/// ETag-guarded replace: of two reconcilers only one closes a record, the other re-reads the result.</item>
/// <item>In one transaction of the key's partition, charge the balance what the records cost beyond what the instance
/// had already charged (<see cref="LeaseRow.Charged"/>), release its <see cref="LeaseRow.Amount"/>, and delete the
/// lease row with its ETag: only one reconciler's transaction can succeed, so the charge is made exactly once.</item>
/// </list>
/// </summary>
internal sealed class LeaseReconciler(BillingTables tables, ModelCatalog catalog, TimeProvider time, TimeSpan pendingTimeout)
{
    /// <summary>Returns the records it closed as interrupted; false in <c>Done</c> when the lease must wait for a later round.</summary>
    public async Task<(bool Done, int Interrupted)> ReconcileAsync(LeaseRow lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // Step 1: the instance's records under this lease.
        var records = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {UsageRecord.PartitionKeyFor(lease.KeyId, lease.Since)} and PartitionKey le {UsageRecord.PartitionKeyFor(lease.KeyId, now)} and Instance eq {lease.Instance} and StartedAt ge {lease.Since}");
        await foreach (var entity in tables.Usage.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(entity);
        }

        // Step 2: close what never settled.
        var total = 0m;
        var interrupted = 0;
        foreach (var entity in records)
        {
            var record = UsageRecord.FromEntity(entity);
            if (record.State == UsageState.Pending)
            {
                if (now - record.StartedAt < pendingTimeout)
                {
                    return (false, interrupted);
                }

                record = await InterruptAsync(entity, record, now, cancellationToken).ConfigureAwait(false);
                interrupted++;
            }

            total += record.Cost;
        }

        // Step 3: charge and release, once.
        var actions = new List<TableTransactionAction>(2);
        var charge = Math.Max(0m, total - lease.Charged);
        if (LeaseStore.IsIssuedKeyId(lease.KeyId) && (charge != 0m || lease.Amount != 0m))
        {
            var read = await tables.Counters.GetEntityIfExistsAsync<TableEntity>(lease.KeyId, KeyBalance.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var balance = read.HasValue ? KeyBalance.FromEntity(read.Value!) : new KeyBalance { KeyId = lease.KeyId };
            var month = KeyBalance.MonthOf(now);
            var updated = balance with
            {
                Spent = balance.Spent + charge,
                Leased = Math.Max(0m, balance.Leased - lease.Amount),
                Month = month,
                MonthSpent = (balance.Month == month ? balance.MonthSpent : 0m) + charge,
            };
            actions.Add(balance.ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, updated.ToEntity(), etag)
                : new TableTransactionAction(TableTransactionActionType.Add, updated.ToEntity()));
        }

        actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, lease.ToEntity(), lease.ETag ?? ETag.All));
        try
        {
            await tables.Counters.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return (true, interrupted);
        }
        catch (TableTransactionFailedException failed) when (failed.Status is 404 or 409 or 412)
        {
            // Another reconciler released it first, or the balance moved: the next round looks again.
            return (false, interrupted);
        }
    }

    private async Task<UsageRecord> InterruptAsync(TableEntity entity, UsageRecord pending, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cost = catalog.TryResolve(pending.Model, out var model) && model.Deployments.Count > 0
            ? model.Deployments.Min(d => Pricing.Cost(d, pending.PromptTokens, 0, pending.CompletionTokens))
            : 0m;
        var closed = pending with
        {
            State = UsageState.Interrupted,
            Cost = cost,
            UsageEstimated = true,
            DurationMs = (now - pending.StartedAt).TotalMilliseconds,
        };
        try
        {
            await tables.Usage.UpdateEntityAsync(closed.ToEntity(), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return closed;
        }
        catch (RequestFailedException failed) when (failed.Status == 412)
        {
            // Closed by another reconciler meanwhile: its result is the record's.
            var current = await tables.Usage.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return UsageRecord.FromEntity(current.Value);
        }
    }

    /// <summary>The filter for lease rows that have expired by <paramref name="now"/>.</summary>
    public static string ExpiredLeases(DateTimeOffset now) => TableClient.CreateQueryFilter(
        $"RowKey ge {LeaseRow.RowKeyPrefix} and RowKey lt {LeaseRow.RowKeyPrefix.TrimEnd('|') + "}"} and ExpiresAt lt {now}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"reconciler (pending timeout {pendingTimeout})");
}
