namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// The storage reads one instance spends on key ids it has no fresh copy of: a token bucket refilled at
/// <see cref="BillingOptions.KeyLookupsPerSecond"/>, holding at most one second's worth. Forged keys each carry a new
/// id, so without it every forged request would be a storage read, and a flood of them would throttle the storage
/// account that metering needs too. A hand-written bucket because it runs on the gateway's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class KeyLookupThrottle(int perSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = perSecond;
    private long _refilledAt = time.GetTimestamp();

    /// <summary>Takes one lookup from the bucket; false when it is empty.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(perSecond, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}

/// <summary>An id not in the cache could not be looked up: this instance is over its lookup budget (a flood of unknown keys).</summary>
public sealed class KeyLookupsExhaustedException() : Exception("Too many lookups of API keys not in the cache; retry shortly.");
