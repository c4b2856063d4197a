using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Billing.Keys;

/// <summary>
/// Finds the issued key behind a presented key without a storage round trip on the hot path. A key read from storage
/// is trusted for <see cref="BillingOptions.KeyCacheDuration"/>; concurrent misses for one id share one read; an id
/// with no key is remembered for a few seconds, so forged keys cannot turn every request into a storage read. A change
/// made on this instance (<see cref="Remember"/>) counts at once; other instances see it within the cache duration.
/// A failed read is not remembered: the next request reads again, and this one gets the storage error.
/// Reads of ids without a fresh copy are limited per instance (<see cref="KeyLookupThrottle"/>): over that budget a key
/// read before serves on from its last read, and an id never read gets <see cref="KeyLookupsExhaustedException"/>.
/// </summary>
public sealed class KeyDirectory
{
    /// <summary>How long an id without a key is remembered; short, so a key issued elsewhere is usable almost at once.</summary>
    public static readonly TimeSpan UnknownDuration = TimeSpan.FromSeconds(5);

    // Random forged ids each cost one entry; past this many the expired ones are dropped, then every unknown one.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IKeyStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly KeyLookupThrottle _lookups;

    public KeyDirectory(IKeyStore store, IOptions<GatewayOptions> options, TimeProvider time)
    {
        _store = store;
        _time = time;
        _duration = options.Value.Billing.KeyCacheDuration;
        _lookups = new KeyLookupThrottle(options.Value.Billing.KeyLookupsPerSecond, time);
    }

    /// <summary>Checks <paramref name="presented"/>: its id is looked up (cached), then its hash compared in constant time.</summary>
    public async ValueTask<KeyCheck> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParseId(presented, out var id))
        {
            return KeyCheck.Unknown;
        }

        var key = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null || !CryptographicOperations.FixedTimeEquals(ApiKeyFormat.Hash(presented), key.Hash))
        {
            return KeyCheck.Unknown;
        }

        var now = _time.GetUtcNow();
        return key.Revoked ? new KeyCheck(KeyCheckStatus.Revoked, key)
            : key.IsActive(now) ? new KeyCheck(KeyCheckStatus.Valid, key)
            : new KeyCheck(KeyCheckStatus.Expired, key);
    }

    /// <summary>The key with <paramref name="id"/>, from the cache while it is fresh.</summary>
    public async ValueTask<IssuedKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var known = _entries.TryGetValue(id, out var cached);
        if (known && cached!.FreshAt(now))
        {
            return await cached.Read.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_lookups.TryTake())
        {
            // Over budget: a key read before serves on (a change made on another instance shows a little later).
            return known && cached!.Read.IsCompletedSuccessfully && cached.Read.Result is { } stale
                ? stale
                : throw new KeyLookupsExhaustedException();
        }

        var entry = new Entry(now, _duration);
        var current = _entries.AddOrUpdate(id, entry, (_, old) => old.FreshAt(now) ? old : entry);
        if (ReferenceEquals(current, entry))
        {
            Trim(now);
            await FillAsync(id, entry).ConfigureAwait(false);
        }

        return await current.Read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a key this instance just created or changed count at once here.</summary>
    public void Remember(IssuedKey key)
    {
        var entry = new Entry(_time.GetUtcNow(), _duration);
        entry.Complete(key);
        _entries[key.Id] = entry;
    }

    private async Task FillAsync(string id, Entry entry)
    {
        try
        {
            // Not the caller's token: other callers wait on this read too.
            entry.Complete((await _store.FindAsync(id, CancellationToken.None).ConfigureAwait(false))?.Key);
        }
        catch (Exception failure)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            entry.Fail(failure);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        if (_entries.Count <= MaxEntries)
        {
            return;
        }

        foreach (var (id, entry) in _entries)
        {
            if (!entry.FreshAt(now) || entry.IsUnknown)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            }
        }
    }

    /// <summary>One cached read: shared by every caller while it runs, then kept until it goes stale.</summary>
    private sealed class Entry(DateTimeOffset readAt, TimeSpan keep)
    {
        private readonly TaskCompletionSource<IssuedKey?> _read = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IssuedKey?> Read => _read.Task;

        public bool IsUnknown => Read.IsCompletedSuccessfully && Read.Result is null;

        public void Complete(IssuedKey? key) => _read.TrySetResult(key);

        public void Fail(Exception failure) => _read.TrySetException(failure);

        // A read still running counts as fresh, so callers join it rather than starting another; a failed one never does.
        public bool FreshAt(DateTimeOffset now) =>
            !Read.IsCompleted || (Read.IsCompletedSuccessfully && now - readAt < (IsUnknown && keep > UnknownDuration ? UnknownDuration : keep));
    }
}
