using System.Collections.Concurrent;
using Synaxis.Gateway.Billing.Storage;

namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// Requests-per-minute and tokens-per-minute limits of issued keys, held across every instance through the counters
/// table. Each limit is counted in fixed UTC minute windows; a call takes one request and its token estimate (prompt
/// estimate plus the most it may complete) when it is admitted, and its real token count replaces the estimate when it
/// settles. Every admitted unit comes out of a slice an instance took from the shared counter with optimistic
/// concurrency, so no window ever admits more requests, or more estimated tokens, than its limit in total
/// (see <see cref="LimitCounter"/> for how slices are sized). A request refused for its tokens gives its request back;
/// a request that fails after admission keeps it: failed requests count.
/// Storage that cannot be reached throws <see cref="Azure.RequestFailedException"/>, which the handlers answer with
/// 503 (fail closed: a limit nobody can check is not waived).
/// </summary>
public sealed class TableRateLimiter : IRateLimiter
{
    internal const string RequestsRow = "rpm";
    internal const string TokensRow = "tpm";

    private readonly ConcurrentDictionary<(string KeyId, string Row), LimitCounter> _counters = new();
    private readonly CounterStore _store;
    private readonly TimeProvider _time;
    private long _sweptWindow;

    public TableRateLimiter(BillingTables tables, TimeProvider time)
    {
        _store = new CounterStore(tables.Counters);
        _time = time;
    }

    /// <summary>Storage calls made so far (reads and writes of counter rows), for measuring what admission costs.</summary>
    public long StorageOperations => _store.Operations;

    /// <summary>The limits this instance holds counters for (two per key with both limits).</summary>
    internal int Counters => _counters.Count;

    public async ValueTask<RateLimitDecision> AcquireAsync(Caller caller, int estimatedTokens, CancellationToken cancellationToken)
    {
        if (caller.Key is not { } key || (key.RequestsPerMinute is null && key.TokensPerMinute is null))
        {
            return RateLimitDecision.Unlimited;
        }

        DropIdleCounters(MinuteWindow.Of(_time.GetUtcNow()));

        CounterResult? requests = null;
        if (key.RequestsPerMinute is { } rpm)
        {
            requests = await Counter(key.Id, RequestsRow).TakeAsync(rpm, 1, cancellationToken).ConfigureAwait(false);
            if (!requests.Value.Admitted)
            {
                return Refused("requests", requests.Value, key.TokensPerMinute is { } tpmLimit ? Counter(key.Id, TokensRow).Peek(tpmLimit) : null);
            }
        }

        CounterResult? tokens = null;
        var reserved = Math.Max(0, estimatedTokens);
        if (key.TokensPerMinute is { } tpm)
        {
            tokens = await Counter(key.Id, TokensRow).TakeAsync(tpm, reserved, cancellationToken).ConfigureAwait(false);
            if (!tokens.Value.Admitted)
            {
                RateLimitWindow? requestWindow = null;
                if (requests is { } taken)
                {
                    var counter = Counter(key.Id, RequestsRow);
                    counter.Return(1, taken.WindowNumber);
                    requestWindow = counter.Peek(key.RequestsPerMinute!.Value);
                }

                return Refused("tokens", tokens.Value, requestWindow);
            }
        }

        return new RateLimitDecision(true, TimeSpan.Zero, requests?.Window, tokens?.Window, tokens is null ? 0 : reserved)
        {
            WindowStart = MinuteWindow.Start(tokens?.WindowNumber ?? requests!.Value.WindowNumber),
        };
    }

    public void Settle(Caller caller, RateLimitDecision admitted, int actualTokens)
    {
        if (!admitted.Admitted || admitted.Tokens is null || caller.Key?.TokensPerMinute is null || admitted.WindowStart is not { } start)
        {
            return;
        }

        Counter(caller.Key.Id, TokensRow).Return(admitted.ReservedTokens - Math.Max(0, actualTokens), MinuteWindow.Of(start));
    }

    private static RateLimitDecision Refused(string exhausted, CounterResult refused, RateLimitWindow? other)
    {
        var requests = exhausted == "requests" ? refused.Window : other;
        var tokens = exhausted == "tokens" ? refused.Window : other;
        // A fixed window has room again only when the next one starts.
        return new RateLimitDecision(false, refused.Window.ResetIn, requests, tokens, 0, exhausted);
    }

    /// <summary>
    /// Once a window, forgets the counters of keys that have not been used for two windows, so memory follows the keys
    /// in use, not every key ever served. What such a counter held was for a window that is over; a call that still
    /// reaches a dropped counter takes from storage as usual, so nothing can be admitted twice.
    /// </summary>
    private void DropIdleCounters(long window)
    {
        var swept = Volatile.Read(ref _sweptWindow);
        if (window <= swept || Interlocked.CompareExchange(ref _sweptWindow, window, swept) != swept)
        {
            return;
        }

        foreach (var (id, counter) in _counters)
        {
            if (counter.IsIdle(window))
            {
                _counters.TryRemove(new KeyValuePair<(string, string), LimitCounter>(id, counter));
            }
        }
    }

    private LimitCounter Counter(string keyId, string row) =>
        _counters.GetOrAdd((keyId, row), static (id, state) => new LimitCounter(state._store, id.KeyId, id.Row, state._time), this);
}
