using System.Diagnostics;
using Synaxis.Bench.Load;

namespace Synaxis.Bench.Measure;

/// <summary>One measured round against one target: every request's sample, how long the round took, the CPU it cost, and for abort rounds what the upstream saw.</summary>
internal sealed record Round(RoundRun Run, CpuUse Cpu, AbortOutcome? Aborts)
{
    public Sample[] Samples => Run.Samples;

    public TimeSpan Elapsed => Run.Elapsed;

    public int Succeeded => Samples.Count(s => s.Succeeded);

    /// <summary>
    /// For a timed round, requests completed per second in its steady part: from a third into the round
    /// to the moment the last request was sent, which leaves out the ramp-up (nothing completes during a
    /// target's first stream) and the drain (fewer streams in flight after the last send), both longer
    /// for a slower target.
    /// </summary>
    public double RequestsPerSecond => SteadyWindow() is var (from, to)
        ? Samples.Count(s => s.Succeeded && s.EndTimestamp >= from && s.EndTimestamp <= to) / Stopwatch.GetElapsedTime(from, to).TotalSeconds
        : Succeeded / Elapsed.TotalSeconds;

    public (long From, long To)? SteadyWindow() =>
        Run.StopSending is { } to ? (Run.Start + ((to - Run.Start) / 3), to) : null;

    public Stats FirstToken => new(Samples.Where(s => s.Succeeded).Select(s => s.FirstTokenMs));
}
