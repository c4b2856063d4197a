using System.Diagnostics;

namespace Synaxis.Bench;

/// <summary>
/// Runs one round: a fixed number of streamed requests against one target, a fixed number in
/// flight (closed loop: each worker sends its next request when its last one ends). Every request is
/// bounded by a timeout, and the round gives up once too many fail, so a broken gateway ends the run
/// within one timeout instead of hanging it.
/// </summary>
internal sealed class LoadRunner(HttpClient client, TimeSpan requestTimeout)
{
    /// <summary>Runs the round; more than <c>maxFailures</c> failed requests abandon it (warm-up tolerates none).</summary>
    public async Task<(Sample[] Samples, TimeSpan Elapsed)> RunAsync(
        Target target, int requests, int concurrency, int expectedChunks, int maxFailures, CancellationToken cancellationToken)
    {
        var samples = new Sample[requests];
        var next = -1;
        var failures = 0;
        string? firstFailure = null;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task WorkAsync()
        {
            int index;
            while (!abandon.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < requests)
            {
                var sample = await StreamProbe.SendAsync(client, target, expectedChunks, requestTimeout, abandon.Token);
                samples[index] = sample;
                if (!sample.Succeeded && !abandon.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, sample.Failure, null);
                    if (Interlocked.Increment(ref failures) > maxFailures)
                    {
                        await abandon.CancelAsync();
                    }
                }
            }
        }

        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, requests)).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        var elapsed = Stopwatch.GetElapsedTime(start);

        cancellationToken.ThrowIfCancellationRequested();
        if (abandon.IsCancellationRequested)
        {
            throw new BenchFailure($"{target.Name}: more than {maxFailures} of {requests} requests failed; the first: {firstFailure}");
        }

        return (samples, elapsed);
    }
}
