namespace Synaxis.Gateway.Billing;

/// <summary>
/// Pay-per-call state (<c>Synaxis:Billing</c>): issued keys, the usage ledger, budgets and rate-limit counters live in
/// Azure Table Storage, shared by every instance. Unset, the gateway runs without billing: only configured keys, no metering.
/// </summary>
public sealed class BillingOptions
{
    /// <summary>The Table endpoint in Azure, e.g. <c>https://stsynaxis.table.core.windows.net/</c>, reached with managed identity.</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>A connection string, for Azurite locally and in tests; never used in Azure, where shared keys are off.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every table name (letters and digits), so several gateways or test runs can share one account.</summary>
    public string TablePrefix { get; set; } = "synaxis";

    /// <summary>How long an instance trusts a key it has read; a revocation made on another instance counts within this time.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Storage reads per second one instance may spend on key ids it has no fresh copy of (new keys, expired cache
    /// entries, forged keys). Beyond it, a key read before serves on from its last read and an unknown one gets 503
    /// with <c>Retry-After</c>, so a flood of forged keys cannot throttle the storage that metering needs.
    /// </summary>
    public int KeyLookupsPerSecond { get; set; } = 200;

    /// <summary>
    /// Completion tokens a budget or token limit reserves for a call that sets no <c>max_tokens</c>, when its model's
    /// deployments name no <c>MaxOutputTokens</c> either.
    /// </summary>
    public int DefaultMaxCompletionTokens { get; set; } = 4096;

    /// <summary>
    /// How long an instance's budget lease (its slice of a key's credit, and its claim on its unfinished calls) lives
    /// without renewal. A live instance renews well before; a lease left to expire marks a dead instance, whose slice is
    /// released and whose unfinished calls are reconciled.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How much credit an instance leases beyond a call's reservation, so that the next calls reserve locally.</summary>
    public decimal LeaseSlice { get; set; } = 1m;

    /// <summary>How often an instance moves settled spending into the shared balance and renews its leases.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An instance gives back the lease of a key it has not served for this long.</summary>
    public TimeSpan IdleLeaseRelease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each instance looks for expired leases of dead instances to reconcile.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A pending usage record of a dead instance is closed as interrupted only once it is at least this old.</summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TableServiceUri) || !string.IsNullOrWhiteSpace(ConnectionString);
}
