namespace Synaxis.Gateway.Http;

/// <summary>
/// One cancellation token for an upstream call: it fires when the client hangs up, when the armed
/// timeout runs out, or when the call's total time is up, and afterwards tells which happened.
/// Re-arming per chunk is a timer change, not an allocation (YARP's ActivityCancellationTokenSource does the same).
/// </summary>
internal sealed class UpstreamTimer : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _total;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _clientAborted;

    /// <param name="time">The clock the timeouts run on.</param>
    /// <param name="clientAborted">Fires when the client is gone.</param>
    /// <param name="total">The longest the whole call may take; infinite when not given.</param>
    public UpstreamTimer(TimeProvider time, CancellationToken clientAborted, TimeSpan? total = null)
    {
        _clientAborted = clientAborted;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _total = new CancellationTokenSource(total ?? Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _timeout.Token, _total.Token);
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
    public void Arm(TimeSpan timeout) => _timeout.CancelAfter(timeout);

    /// <summary>Stops the countdown while the gateway itself is busy, e.g. writing to a slow client. The total keeps running.</summary>
    public void Disarm()
    {
        if (!_timeout.IsCancellationRequested)
        {
            _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _total.Dispose();
        _timeout.Dispose();
    }
}
