using System.Diagnostics;

namespace Synaxis.Bench.Load;

/// <summary>How much one round sends: at most <see cref="MaxRequests"/>, and no new request once <see cref="Length"/> has passed.</summary>
internal readonly record struct RoundSize(int MaxRequests, TimeSpan Length)
{
    /// <summary>A round as long in time for every target, so a slow target is not measured over fewer seconds' drift than a fast one.</summary>
    public static RoundSize Timed(TimeSpan length) => new(int.MaxValue, length);

    public static RoundSize Counted(int requests) => new(requests, Timeout.InfiniteTimeSpan);
}

/// <summary>
/// Runs one round against one target with a fixed number of requests in flight (closed loop: each
/// worker sends its next request when its last one ends). Every request is bounded by a timeout, and
/// the round gives up once more than 5% fail, so a broken target ends the run within one timeout
/// instead of hanging it.
/// </summary>
internal static class LoadRunner
{
    /// <summary>Runs <paramref name="send"/> for request indexes 0, 1, 2 …; the samples come back in index order.</summary>
    public static async Task<RoundRun> RunAsync(
        string targetName, RoundSize size, int concurrency, bool tolerateFailures, Func<int, CancellationToken, Task<Sample>> send, CancellationToken cancellationToken)
    {
        var next = -1;
        var failures = 0;
        string? firstFailure = null;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var stopSending = size.Length == Timeout.InfiniteTimeSpan ? long.MaxValue : start + (long)(size.Length.TotalSeconds * Stopwatch.Frequency);

        async Task<List<(int Index, Sample Sample)>> WorkAsync()
        {
            var done = new List<(int, Sample)>();
            int index;
            while (!abandon.IsCancellationRequested && Stopwatch.GetTimestamp() < stopSending && (index = Interlocked.Increment(ref next)) < size.MaxRequests)
            {
                var sample = await send(index, abandon.Token) with { EndTimestamp = Stopwatch.GetTimestamp() };
                done.Add((index, sample));
                if (!sample.Succeeded && !abandon.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, sample.Failure, null);
                    var failed = Interlocked.Increment(ref failures);
                    // Some failures may be counted; more than 5% means something is broken, not noisy. A warm-up tolerates none.
                    if (!tolerateFailures || (failed > 5 && failed * 20 > Volatile.Read(ref next)))
                    {
                        await abandon.CancelAsync();
                    }
                }
            }

            return done;
        }

        var workers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        var elapsed = Stopwatch.GetElapsedTime(start);

        cancellationToken.ThrowIfCancellationRequested();
        if (abandon.IsCancellationRequested)
        {
            throw new BenchFailure($"{targetName}: {failures} requests failed; the first: {firstFailure}");
        }

        // Every index handed out was sent exactly once, so the indexes are 0 … count-1.
        var samples = new Sample[workers.Sum(w => w.Count)];
        foreach (var (index, sample) in workers.SelectMany(w => w))
        {
            samples[index] = sample;
        }

        return new RoundRun(samples, start, elapsed, stopSending == long.MaxValue ? null : stopSending);
    }
}

/// <summary>
/// The samples of one round, when it started and how long it took, and for a timed round when the last
/// request was sent (<see cref="System.Diagnostics.Stopwatch"/> ticks).
/// </summary>
internal sealed record RoundRun(Sample[] Samples, long Start, TimeSpan Elapsed, long? StopSending);
