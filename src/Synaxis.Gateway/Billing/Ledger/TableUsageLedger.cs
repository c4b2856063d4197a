using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>
/// The usage ledger in Azure Table Storage. A call's pending row is stored before its answer goes out, under this
/// instance's lease on the key (so that, should the instance die, reconciliation finds and closes it); the settled row
/// replaces it later through <see cref="UsageWriter"/>, in the background.
/// </summary>
public sealed class TableUsageLedger(BillingTables tables, InstanceLeases leases, UsageWriter writer) : IUsageLedger
{
    public async ValueTask BeginAsync(UsageRecord pending, CancellationToken cancellationToken)
    {
        await leases.EnterAsync(pending.KeyId, cancellationToken).ConfigureAwait(false);
        try
        {
            await tables.Usage.UpsertEntityAsync(pending.ToEntity(), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            leases.Exit(pending.KeyId, 0m);
            throw;
        }
    }

    public ValueTask CompleteAsync(UsageRecord settled)
    {
        writer.Enqueue(settled);
        return ValueTask.CompletedTask;
    }
}
