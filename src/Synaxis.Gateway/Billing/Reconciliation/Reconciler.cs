using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Billing.Reconciliation;

/// <summary>
/// Finds the expired leases of dead instances and settles each from the usage ledger (<see cref="LeaseReconciler"/>).
/// Every instance runs one; rounds on several instances at once are safe, since each charge is guarded by the lease
/// row's ETag.
/// </summary>
public sealed partial class Reconciler(BillingTables tables, ModelCatalog catalog, InstanceLeases leases, IOptions<GatewayOptions> options, TimeProvider time, ILogger<Reconciler> logger)
{
    private readonly LeaseReconciler _reconciler = new(tables, catalog, time, options.Value.Billing.PendingTimeout);

    /// <summary>One round: every expired lease but this instance's own; returns how many leases it released.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var released = 0;
        var expired = new List<LeaseRow>();
        await foreach (var entity in tables.Counters.QueryAsync<TableEntity>(LeaseReconciler.ExpiredLeases(time.GetUtcNow()), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            expired.Add(LeaseRow.FromEntity(entity));
        }

        foreach (var lease in expired.Where(l => l.Instance != leases.Instance))
        {
            try
            {
                var (done, interrupted) = await _reconciler.ReconcileAsync(lease, cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    released++;
                    LogReleased(lease.Instance, lease.KeyId, interrupted);
                }
            }
            catch (RequestFailedException exception)
            {
                LogFailed(lease.Instance, lease.KeyId, exception.Message);
            }
        }

        return released;
    }

    [LoggerMessage(EventId = 630, Level = LogLevel.Information, Message = "Released the expired lease of instance {Instance} on {KeyId}; {Interrupted} unfinished calls recorded as interrupted")]
    private partial void LogReleased(string instance, string keyId, int interrupted);

    [LoggerMessage(EventId = 631, Level = LogLevel.Warning, Message = "Reconciling the lease of instance {Instance} on {KeyId} failed ({Error}); the next round retries")]
    private partial void LogFailed(string instance, string keyId, string error);
}
