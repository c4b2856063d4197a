using Azure;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// This instance's view of one key: the lease it holds (<see cref="Granted"/>) and what it has committed from it.
/// Reservations take from the slice without a storage round trip; only refills, flushes and renewals touch storage,
/// one at a time under <see cref="Gate"/>. Counters change under <c>lock (this)</c>.
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

    /// <summary>Credit of the lease not committed to anything.</summary>
    public decimal Free => Granted - Held - Settling - Unflushed;
}
