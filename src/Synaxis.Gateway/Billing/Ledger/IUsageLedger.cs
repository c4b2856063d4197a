namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>
/// The usage ledger: exactly one record per call. The record is written as <see cref="UsageState.Pending"/> when the
/// call is admitted and replaced by its settled figures when it ends; a pending record left by a process that died is
/// closed by reconciliation. Writes are idempotent by request id.
/// </summary>
public interface IUsageLedger
{
    /// <summary>Writes the call's pending record; the call's answer is not sent before this has been stored.</summary>
    ValueTask BeginAsync(UsageRecord pending, CancellationToken cancellationToken);

    /// <summary>Replaces the pending record with the settled one.</summary>
    ValueTask CompleteAsync(UsageRecord settled);
}
