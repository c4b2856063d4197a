using Azure;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// This instance's view of one key: the lease it holds (<see cref="Granted"/>) and what it has committed from it.
/// Reservations take from the slice under <c>lock (this)</c> without a storage round trip or the <see cref="Gate"/>;
/// only refills, flushes and renewals touch storage, one at a time under the gate. Counters change under the lock.
/// </summary>
internal sealed class KeySlice(string keyId)
{
    public string KeyId { get; } = keyId;

    /// <summary>Serialises reservations and storage syncs of this key on this instance.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The lease amount as stored.</summary>
    public decimal Granted { get; set; }

    /// <summary>Reserved for calls in flight.</summary>
    public decimal Held { get; set; }

    /// <summary>Costs of calls that ended whose settled usage records are not stored yet.</summary>
    public decimal Settling { get; set; }

    /// <summary>Costs of calls whose settled records are stored, not yet moved into the balance.</summary>
    public decimal Unflushed { get; set; }

    /// <summary>Calls admitted whose settled usage record is not stored yet: while any is, the lease must stay.</summary>
    public int InFlight { get; set; }

    public decimal Charged { get; set; }

    public DateTimeOffset Since { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>The stored lease row's ETag; null when this instance holds no lease on the key.</summary>
    public ETag? LeaseETag { get; set; }

    public bool HasLease => LeaseETag is not null;

    /// <summary>
    /// Set while a refill, flush, renewal or release is being stored: calls then wait for <see cref="Gate"/> instead of
    /// taking from the slice, so the amounts a sync computes from are the amounts it stores.
    /// </summary>
    public bool Syncing { get; set; }

    /// <summary>True when a call may take from the slice without touching storage (checked and used under <c>lock (this)</c>).</summary>
    public bool IsUsable => HasLease && !Syncing;

    /// <summary>Credit of the lease not committed to anything.</summary>
    public decimal Free => Granted - Held - Settling - Unflushed;
}
