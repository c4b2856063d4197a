using Azure;
using Azure.Data.Tables;

namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// The shared side of a rate limit: one row per key and limit in the counters table (partition key = key id, row key
/// <c>rpm</c> or <c>tpm</c>) holding the current minute window and how much of it instances have taken. A take adds
/// to it with the row's ETag (optimistic concurrency), never past the limit, so the sum of every instance's slices
/// of a window is at most the limit however many instances take at once. A row left from an older window is started
/// afresh by the first take of the new one; a row already in a later window (an instance whose clock is behind)
/// is counted in that later window, never set back.
/// </summary>
internal sealed class CounterStore(TableClient counters)
{
    // Two instances rarely collide; more attempts only matter for many instances hammering one key in one instant.
    private const int MaxAttempts = 16;

    private long _operations;

    /// <summary>Storage calls made so far.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>
    /// Takes up to <paramref name="want"/> units of window <paramref name="window"/> from the key's counter. The first
    /// attempt writes against the ETag of <paramref name="known"/> (the row as this instance last saw it) without reading.
    /// </summary>
    public async Task<CounterGrant> TakeAsync(string keyId, string rowKey, long window, long limit, long want, CounterRow? known, CancellationToken cancellationToken)
    {
        try
        {
            return await TakeContendedAsync(keyId, rowKey, window, limit, want, known, cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException retried) when (retried.InnerExceptions.All(e => e is RequestFailedException))
        {
            // The SDK's retry policy gathers each attempt's network failure; callers expect the one storage failure type.
            throw new RequestFailedException(503, $"Billing storage is unreachable: {retried.InnerExceptions[^1].Message}", retried);
        }
    }

    private async Task<CounterGrant> TakeContendedAsync(string keyId, string rowKey, long window, long limit, long want, CounterRow? known, CancellationToken cancellationToken)
    {
        var row = known;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            row ??= await ReadAsync(keyId, rowKey, cancellationToken).ConfigureAwait(false);
            var current = row is null ? window : Math.Max(window, row.Window);
            var taken = row is null || row.Window < current ? 0 : row.Taken;
            var granted = Math.Min(want, Math.Max(0, limit - taken));
            if (granted == 0 && row is not null)
            {
                // Taken only grows within a window, so even a stale row that says "full" is right.
                return new CounterGrant(0, row with { Window = current, Taken = taken });
            }

            var entity = new TableEntity(keyId, rowKey) { ["Window"] = current, ["Taken"] = taken + granted };
            try
            {
                Interlocked.Increment(ref _operations);
                var response = row is null
                    ? await counters.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                    : await counters.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new CounterGrant(granted, new CounterRow(current, taken + granted, response.Headers.ETag ?? default));
            }
            catch (RequestFailedException conflict) when (conflict.Status is 409 or 412)
            {
                // Another instance wrote first: read again and retry, after a short random pause so the two part ways
                // (real time on purpose: it spaces storage calls, it bounds no wait).
                row = null;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 + 4 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new RequestFailedException(503, $"The rate-limit counter of {keyId} stayed contended for {MaxAttempts} attempts.");
    }

    private async Task<CounterRow?> ReadAsync(string keyId, string rowKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _operations);
        var response = await counters.GetEntityIfExistsAsync<TableEntity>(keyId, rowKey, ["Window", "Taken"], cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }

        return new CounterRow(entity.GetInt64("Window") ?? 0, entity.GetInt64("Taken") ?? 0, entity.ETag);
    }
}
