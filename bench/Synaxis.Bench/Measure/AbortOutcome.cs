using System.Diagnostics;
using Synaxis.Bench.Load;
using Synaxis.Bench.Upstream;

namespace Synaxis.Bench.Measure;

/// <summary>
/// What became of a round's aborted streams at the upstream: how many it saw hung up on before their
/// end, and for each, the time from the client's hang-up to the upstream's (both on the machine's
/// monotonic clock). A stream the upstream served to its end was not cancelled.
/// </summary>
internal sealed record AbortOutcome(int Aborted, int Cancelled, int NeverArrived, IReadOnlyList<double> CancelMs)
{
    public static AbortOutcome From(Sample[] samples, string tagPrefix, LedgerReport ledger)
    {
        var byTag = ledger.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var latencies = new List<double>();
        var aborted = 0;
        var missing = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            if (samples[i].AbortTimestamp == 0)
            {
                continue;
            }

            aborted++;
            if (!byTag.TryGetValue(tagPrefix + i, out var record))
            {
                missing++;
            }
            else if (record.Aborted != 0 && !record.Completed)
            {
                latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(samples[i].AbortTimestamp, record.Aborted).TotalMilliseconds));
            }
        }

        return new AbortOutcome(aborted, latencies.Count, missing, latencies);
    }
}
