namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// One limit of one key on this instance. Calls are admitted from a local slice taken from the key's shared counter
/// (<see cref="CounterStore"/>), so most admissions touch no storage at all, and no instance ever admits more than the
/// slices it was granted: the sum over every instance stays within the limit. Slices follow the key's rate here: a
/// slow key takes one unit at a time (exact, nothing held back from other instances), a busy key takes about
/// <see cref="Lead"/> worth of its rate, at most a tenth of the limit, and takes the next slice while half of the
/// current one is left so that calls rarely wait on storage. One fetch runs at a time; concurrent calls wait for it.
/// </summary>
internal sealed class LimitCounter(CounterStore store, string keyId, string rowKey, TimeProvider time)
{
    /// <summary>How far ahead of the key's rate a busy key's slice reaches.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(2);

    /// <summary>No instance holds more than this share of a window at once (the bound on what it can strand).</summary>
    public const int MaxSliceDivisor = 10;

    private readonly Lock _gate = new();
    private long _window;
    private long _local;
    private long _taken;
    private bool _exhausted;
    private CounterRow? _row;
    private Task? _fetch;
    private long _consumedSinceFetch;
    private long _lastFetchTimestamp;
    private long _slice = 1;

    /// <summary>Takes <paramref name="amount"/> units of the current window, or refuses when the window has no room for them.</summary>
    public async ValueTask<CounterResult> TakeAsync(long limit, long amount, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task fetch;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                Roll(now);
                if (_local >= amount && amount <= limit)
                {
                    _local -= amount;
                    _consumedSinceFetch += amount;
                    if (_fetch is null && !_exhausted && _slice > 1 && _local < _slice / 2)
                    {
                        // Prefetch: the next slice arrives before this one runs out. Its failure is seen by the call that needs it.
                        _fetch = StartFetch(limit, NextSlice(limit));
                        _fetch.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }

                    return new CounterResult(true, Report(limit, now), _window);
                }

                if (_exhausted || amount > limit)
                {
                    return new CounterResult(false, Report(limit, now), _window);
                }

                fetch = _fetch ??= StartFetch(limit, amount - _local + NextSlice(limit));
            }

            await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives <paramref name="amount"/> units back to window <paramref name="window"/> (the unused part of a token estimate,
    /// or a request refused for its tokens) when it is still current; a negative amount (tokens used beyond the estimate)
    /// is charged to the current window, whichever the call was admitted in.
    /// </summary>
    public void Return(long amount, long window)
    {
        lock (_gate)
        {
            Roll(time.GetUtcNow());
            if (amount < 0 || window == _window)
            {
                _local += amount;
            }
        }
    }

    /// <summary>True when the counter was last used two or more windows before <paramref name="window"/> and fetches nothing.</summary>
    public bool IsIdle(long window)
    {
        lock (_gate)
        {
            return _fetch is null && _window < window - 1;
        }
    }

    /// <summary>The window as the headers report it, without taking anything.</summary>
    public RateLimitWindow Peek(long limit)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Roll(now);
            return Report(limit, now);
        }
    }

    // What this instance knows: what the instances took between them, less what it still holds itself.
    private RateLimitWindow Report(long limit, DateTimeOffset now) =>
        new(limit, Math.Clamp(limit - _taken + _local, 0, limit), MinuteWindow.UntilNext(now));

    private void Roll(DateTimeOffset now)
    {
        var window = MinuteWindow.Of(now);
        if (window <= _window)
        {
            return;
        }

        // What was left of the last window's slice was granted for that window only.
        _window = window;
        _local = 0;
        _taken = 0;
        _exhausted = false;
    }

    private long NextSlice(long limit)
    {
        var elapsed = _lastFetchTimestamp == 0 ? TimeSpan.MaxValue : time.GetElapsedTime(_lastFetchTimestamp);
        var perSecond = elapsed == TimeSpan.MaxValue ? 0 : _consumedSinceFetch / Math.Max(elapsed.TotalSeconds, 0.01);
        _slice = Math.Clamp((long)Math.Ceiling(perSecond * Lead.TotalSeconds), 1, Math.Max(1, limit / MaxSliceDivisor));
        return _slice;
    }

    private Task StartFetch(long limit, long want)
    {
        _consumedSinceFetch = 0;
        _lastFetchTimestamp = time.GetTimestamp();
        return FetchAsync(_window, limit, want, _row);
    }

    private async Task FetchAsync(long window, long limit, long want, CounterRow? known)
    {
        // Never finish inside the caller's lock: the fetch is published as _fetch before it can end and clear itself.
        await Task.Yield();
        try
        {
            var grant = await store.TakeAsync(keyId, rowKey, window, limit, want, known, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _row = grant.Row;
                if (window == _window)
                {
                    _local += grant.Granted;
                    _taken = grant.Row.Taken;
                    _exhausted |= grant.Granted < want;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _fetch = null;
            }
        }
    }
}

/// <summary>One counter's answer: admitted or not, the window for the headers, and the window the units were counted in.</summary>
internal readonly record struct CounterResult(bool Admitted, RateLimitWindow Window, long WindowNumber);
