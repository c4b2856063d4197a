namespace Synaxis.Gateway.Billing.Ledger;

/// <summary>Where a usage record is in its life: written when the call starts, completed when it ends.</summary>
public enum UsageState
{
    /// <summary>The call has started and not ended yet (or its process died before it could end it).</summary>
    Pending,

    /// <summary>The call ended on the instance that served it; the record holds its real figures.</summary>
    Settled,

    /// <summary>The serving process died mid-call; reconciliation closed the record from what was known.</summary>
    Interrupted,
}
