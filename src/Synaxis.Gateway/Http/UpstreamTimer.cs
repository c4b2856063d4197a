namespace Synaxis.Gateway.Http;

/// <summary>
/// One cancellation token for an upstream call: it fires when the client hangs up or when the armed
/// timeout runs out, and afterwards tells which of the two happened. Re-arming per chunk is a timer
/// change, not an allocation (YARP's ActivityCancellationTokenSource does the same).
/// </summary>
internal sealed class UpstreamTimer : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _clientAborted;

    public UpstreamTimer(TimeProvider time, CancellationToken clientAborted)
    {
        _clientAborted = clientAborted;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _timeout.Token);
    }

    /// <summary>Pass this to everything that waits on the upstream.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True when the client went away: there is nobody left to answer.</summary>
    public bool ClientAborted => _clientAborted.IsCancellationRequested;

    /// <summary>True when the armed timeout fired (and the client was still there).</summary>
    public bool TimedOut => _timeout.IsCancellationRequested && !ClientAborted;

    /// <summary>Starts (or restarts) the countdown.</summary>
    public void Arm(TimeSpan timeout) => _timeout.CancelAfter(timeout);

    /// <summary>Stops the countdown while the gateway itself is busy, e.g. writing to a slow client.</summary>
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
        _timeout.Dispose();
    }
}
