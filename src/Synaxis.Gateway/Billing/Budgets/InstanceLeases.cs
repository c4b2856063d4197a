using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Billing.Budgets;

/// <summary>
/// This instance's leases, one <see cref="KeySlice"/> per key it serves. The budget reserves calls from a key's slice
/// without a storage round trip while the slice has room, refilling it from the key's balance (one ETag-guarded
/// transaction) when it has not. The usage ledger holds the lease open from a call's pending record until its settled
/// record is stored, so a lease outlives every record it may have to answer for. <see cref="BillingWorkers"/> flushes,
/// renews and gives back the leases in the background.
/// </summary>
public sealed class InstanceLeases
{
    private readonly ConcurrentDictionary<string, KeySlice> _slices = new(StringComparer.Ordinal);
    private readonly LeaseStore _store;
    private readonly TimeProvider _time;
    private readonly BillingOptions _options;

    public InstanceLeases(BillingTables tables, IOptions<GatewayOptions> options, TimeProvider time)
        : this(tables, options.Value.Billing, time, CallMeter.InstanceName)
    {
    }

    /// <summary>For several instances in one process (tests): each needs its own name.</summary>
    public InstanceLeases(BillingTables tables, BillingOptions options, TimeProvider time, string instance)
    {
        _options = options;
        _time = time;
        _store = new LeaseStore(tables, instance, time, options.LeaseDuration);
    }

    public string Instance => _store.Instance;

    internal IEnumerable<KeySlice> Slices => _slices.Values;

    /// <summary>Reserves <paramref name="maxCost"/> against the key's limits; refuses with the reason when it cannot be afforded.</summary>
    internal async ValueTask<(bool Admitted, string? Reason)> ReserveAsync(string keyId, BudgetLimits limits, decimal maxCost, CancellationToken cancellationToken)
    {
        var slice = Slice(keyId);
        if (TryTake(slice, limits, maxCost))
        {
            return (true, null);
        }

        await slice.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another call may have refilled the slice while this one waited.
            if (TryTake(slice, limits, maxCost))
            {
                return (true, null);
            }

            // The refill leases room for as much again as is held now, so a key's concurrency doubles the slice
            // rather than making every call wait for storage.
            decimal slack;
            lock (slice)
            {
                slack = Math.Max(_options.LeaseSlice, slice.Held);
            }

            var decided = await SyncAsync(slice, limits, maxCost, slack, release: false, cancellationToken).ConfigureAwait(false);
            if (decided.Admitted)
            {
                lock (slice)
                {
                    slice.Held += maxCost;
                }
            }

            return decided;
        }
        finally
        {
            slice.Gate.Release();
        }
    }

    /// <summary>Takes <paramref name="maxCost"/> from the slice when it has room, with no storage round trip and no wait on the gate.</summary>
    private bool TryTake(KeySlice slice, BudgetLimits limits, decimal maxCost)
    {
        lock (slice)
        {
            slice.LastUsed = _time.GetUtcNow();
            if (limits.IsUnlimited || (slice.IsUsable && slice.Free >= maxCost))
            {
                slice.Held += maxCost;
                return true;
            }

            return false;
        }
    }

    /// <summary>A reserved call ended costing <paramref name="actualCost"/>: its reservation is freed, its cost waits for its record.</summary>
    internal void Settle(string keyId, decimal reserved, decimal actualCost)
    {
        var slice = Slice(keyId);
        lock (slice)
        {
            slice.Held -= reserved;
            slice.Settling += actualCost;
        }
    }

    /// <summary>A call's pending record is about to be written: the key's lease must exist, and stays while the call is open.</summary>
    public async ValueTask EnterAsync(string keyId, CancellationToken cancellationToken)
    {
        var slice = Slice(keyId);
        lock (slice)
        {
            if (slice.IsUsable)
            {
                slice.InFlight++;
                slice.LastUsed = _time.GetUtcNow();
                return;
            }
        }

        await slice.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!slice.HasLease)
            {
                await SyncAsync(slice, default, 0m, 0m, release: false, cancellationToken).ConfigureAwait(false);
            }

            lock (slice)
            {
                slice.InFlight++;
                slice.LastUsed = _time.GetUtcNow();
            }
        }
        finally
        {
            slice.Gate.Release();
        }
    }

    /// <summary>
    /// A call's settled record is stored (or its pending one never was): its cost, if a budget settled one, can move into the balance.
    /// </summary>
    public void Exit(string keyId, decimal cost)
    {
        var slice = Slice(keyId);
        lock (slice)
        {
            slice.InFlight--;
            if (LeaseStore.IsIssuedKeyId(keyId))
            {
                slice.Settling -= cost;
                slice.Unflushed += cost;
            }
        }
    }

    /// <summary>
    /// Moves stored spending into the balances and renews leases that need it; gives back leases idle for
    /// <see cref="BillingOptions.IdleLeaseRelease"/>, or all idle ones when <paramref name="releaseAll"/> (shutdown).
    /// </summary>
    public async Task FlushAsync(bool releaseAll, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var slice in _slices.Values)
        {
            await slice.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                bool idle, due;
                lock (slice)
                {
                    idle = slice.InFlight == 0 && slice.Held == 0m && slice.Settling == 0m
                        && (releaseAll || now - slice.LastUsed >= _options.IdleLeaseRelease);
                    due = slice.Unflushed != 0m || slice.ExpiresAt - now < _options.LeaseDuration * 2 / 3;
                }

                if (slice.HasLease && (idle || due))
                {
                    await SyncAsync(slice, default, 0m, 0m, release: idle, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                slice.Gate.Release();
            }
        }
    }

    /// <summary>Stores the slice's state (under the gate), with calls kept off the slice meanwhile.</summary>
    private async Task<(bool Admitted, string? Reason)> SyncAsync(
        KeySlice slice, BudgetLimits limits, decimal need, decimal slack, bool release, CancellationToken cancellationToken)
    {
        lock (slice)
        {
            slice.Syncing = true;
        }

        try
        {
            return await _store.SyncAsync(slice, limits, need, slack, release, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (slice)
            {
                slice.Syncing = false;
            }
        }
    }

    private KeySlice Slice(string keyId) => _slices.GetOrAdd(keyId, static id => new KeySlice(id));
}
