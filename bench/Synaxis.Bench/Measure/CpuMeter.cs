using System.Diagnostics;
using Synaxis.Bench.Processes;

namespace Synaxis.Bench.Measure;

/// <summary>
/// Reads every process's CPU counter at one instant: the bench itself (the load generator alone, since
/// the fake upstream runs apart), the fake upstream and each gateway, plus the machine's CPU pressure.
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> pids)
{
    public const string Bench = "bench";

    public const string Upstream = "upstream";

    /// <summary>Azurite, the metered gateway's Table Storage, in <c>--metering</c> runs.</summary>
    public const string Storage = "azurite";

    public CpuReading Take() => new(
        Stopwatch.GetTimestamp(),
        pids.ToDictionary(p => p.Key, p => ProcFs.ProcessCpu(p.Value)),
        ProcFs.CpuPressureMicroseconds());
}

/// <summary>The CPU each watched process had used at one instant; two readings give what a round cost.</summary>
internal sealed record CpuReading(long Timestamp, IReadOnlyDictionary<string, TimeSpan> Cpu, long? PressureMicroseconds)
{
    public CpuUse Since(CpuReading before)
    {
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, Timestamp);
        var pressure = PressureMicroseconds - before.PressureMicroseconds is { } stalled ? stalled / 1e6 / wall.TotalSeconds : double.NaN;
        return new CpuUse(wall, Cpu.ToDictionary(c => c.Key, c => c.Value - before.Cpu[c.Key]), pressure);
    }
}

/// <summary>
/// CPU used over one round by each watched process, and the share of the round during which some thread
/// on the machine waited for a core (NaN where the kernel cannot tell).
/// </summary>
internal sealed record CpuUse(TimeSpan Wall, IReadOnlyDictionary<string, TimeSpan> Cpu, double CpuPressure)
{
    public TimeSpan Of(string process) => Cpu.TryGetValue(process, out var used) ? used : TimeSpan.Zero;
}
