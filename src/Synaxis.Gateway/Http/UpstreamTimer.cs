namespace Synaxis.Gateway.Http;

/// <summary>
/// One cancellation token for an upstream call: it fires when the client hangs up, when the armed
/// timeout runs out, or when the call's total time is up, and afterwards tells which happened.
/// Arming and disarming, once or twice per relayed chunk, only note a deadline; the timer itself is
/// changed when it is not running or must fire sooner. When it fires before the deadline (the call
/// was re-armed since), it is set again for the rest, the way YARP's activity timeout works.
/// </summary>
internal sealed class UpstreamTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly ITimer _idle;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _total;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _clientAborted;
    private TimeSpan? _deadline; // since _origin; null while disarmed
    private TimeSpan? _firesAt;  // since _origin; null while the timer is not running

    /// <param name="time">The clock the timeouts run on.</param>
    /// <param name="clientAborted">Fires when the client is gone.</param>
    /// <param name="total">The longest the whole call may take; infinite when not given.</param>
    public UpstreamTimer(TimeProvider time, CancellationToken clientAborted, TimeSpan? total = null)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _clientAborted = clientAborted;
        _timeout = new CancellationTokenSource();
        _total = new CancellationTokenSource(total ?? Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _timeout.Token, _total.Token);
        _idle = time.CreateTimer(static state => ((UpstreamTimer)state!).OnTimerFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Pass this to everything that waits on the upstream.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True when the client went away: there is nobody left to answer.</summary>
    public bool ClientAborted => _clientAborted.IsCancellationRequested;

    /// <summary>True when the armed timeout or the total time ran out (and the client was still there).</summary>
    public bool TimedOut => (_timeout.IsCancellationRequested || _total.IsCancellationRequested) && !ClientAborted;

    /// <summary>True when it was the call's total time that ran out.</summary>
    public bool TotalTimedOut => _total.IsCancellationRequested && !ClientAborted;

    /// <summary>Starts (or restarts) the countdown.</summary>
    public void Arm(TimeSpan timeout)
    {
        lock (_gate)
        {
            var deadline = Now + timeout;
            _deadline = deadline;
            if (_firesAt is null || deadline < _firesAt)
            {
                Schedule(deadline, timeout);
            }
        }
    }

    /// <summary>Stops the countdown while the gateway itself is busy, e.g. writing to a slow client. The total keeps running.</summary>
    public void Disarm()
    {
        lock (_gate)
        {
            _deadline = null;
        }
    }

    public void Dispose()
    {
        _idle.Dispose();
        _linked.Dispose();
        _total.Dispose();
        _timeout.Dispose();
    }

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    private void Schedule(TimeSpan firesAt, TimeSpan dueIn)
    {
        _firesAt = firesAt;
        _idle.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    private void OnTimerFired()
    {
        lock (_gate)
        {
            _firesAt = null;
            if (_deadline is not { } deadline)
            {
                return; // disarmed since: the next Arm sets the timer again
            }

            var left = deadline - Now;
            if (left > TimeSpan.Zero)
            {
                Schedule(deadline, left); // re-armed since it was set: wait out the rest
                return;
            }
        }

        try
        {
            _timeout.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended as the timer fired.
        }
    }
}
