using System.Collections.Concurrent;

namespace Synaxis.Bench.Upstream;

/// <summary>The streams the upstream is serving or served since the last reset; only tagged ones (a <c>user</c> field) are kept.</summary>
internal sealed class UpstreamLedger
{
    private ConcurrentQueue<LedgerEntry> _entries = new();
    private int _active;

    public int Active => Volatile.Read(ref _active);

    public LedgerEntry? Begin(string? id)
    {
        Interlocked.Increment(ref _active);
        if (id is null)
        {
            return null;
        }

        var entry = new LedgerEntry(id);
        _entries.Enqueue(entry);
        return entry;
    }

    public void End() => Interlocked.Decrement(ref _active);

    public void Reset() => _entries = new ConcurrentQueue<LedgerEntry>();

    public LedgerReport Snapshot() =>
        new(Active, _entries.Select(e => new LedgerRecord(e.Id, e.Started, e.Aborted, e.Completed)).ToList());
}
