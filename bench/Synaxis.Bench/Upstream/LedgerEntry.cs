using System.Diagnostics;

namespace Synaxis.Bench.Upstream;

/// <summary>
/// One tagged stream the upstream served: when it started, and whether it ran to its end or its caller
/// hung up first (and when). Timestamps are <see cref="Stopwatch"/> ticks, which on Linux are the
/// system-wide monotonic clock, so the bench can subtract its own timestamps from them.
/// </summary>
internal sealed class LedgerEntry(string id)
{
    private long _aborted;
    private int _completed;

    public string Id { get; } = id;

    public long Started { get; } = Stopwatch.GetTimestamp();

    /// <summary>When the caller's hang-up reached the upstream; 0 while it has not (or the stream had already ended).</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    public bool Completed => Volatile.Read(ref _completed) == 1;

    public bool Finished => Completed || Aborted != 0;

    public void MarkAborted()
    {
        if (!Completed)
        {
            Interlocked.CompareExchange(ref _aborted, Stopwatch.GetTimestamp(), 0);
        }
    }

    public void MarkCompleted()
    {
        if (Aborted == 0)
        {
            Volatile.Write(ref _completed, 1);
        }
    }
}
