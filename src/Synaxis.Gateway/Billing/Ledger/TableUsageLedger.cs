using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>
/// The usage ledger in Azure Table Storage. A call's pending row is stored before its answer goes out, under this
/// instance's lease on the key (so that, should the instance die, reconciliation finds and closes it); the settled row
/// replaces it later through <see cref="UsageWriter"/>, in the background. Pending rows of one key written at the same
/// time share table transactions (<see cref="PendingRowWriter"/>).
/// </summary>
public sealed class TableUsageLedger(BillingTables tables, InstanceLeases leases, UsageWriter writer) : IUsageLedger
{
    private readonly PendingRowWriter _pending = new(tables.Usage);

    public async ValueTask BeginAsync(UsageRecord pending, CancellationToken cancellationToken)
    {
        await leases.EnterAsync(pending.KeyId, cancellationToken).ConfigureAwait(false);
        try
        {
            // Not cancelled with the client: a row once asked for may land, and must then be settled, not left pending.
            await _pending.WriteAsync(pending.ToEntity()).ConfigureAwait(false);
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
