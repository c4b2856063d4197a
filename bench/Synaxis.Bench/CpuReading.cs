using System.Diagnostics;

namespace Synaxis.Bench;

/// <summary>A reading of every CPU counter at one instant; two readings give what a round cost.</summary>
internal readonly record struct CpuReading(long Timestamp, TimeSpan Gateway, TimeSpan Bench, long? PressureMicroseconds)
{
    public static CpuReading Take(int gatewayPid) =>
        new(Stopwatch.GetTimestamp(), ProcFs.ProcessCpu(gatewayPid), ProcFs.OwnCpu(), ProcFs.CpuPressureMicroseconds());

    public CpuUse Since(CpuReading before)
    {
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, Timestamp);
        var pressure = PressureMicroseconds - before.PressureMicroseconds is { } stalled ? stalled / 1e6 / wall.TotalSeconds : double.NaN;
        return new CpuUse(wall, Gateway - before.Gateway, Bench - before.Bench, pressure);
    }
}

/// <summary>
/// CPU used over one round: by the gateway process, by the bench process, and the share of the round
/// during which some thread on the machine waited for a core (NaN where the kernel cannot tell).
/// </summary>
internal readonly record struct CpuUse(TimeSpan Wall, TimeSpan Gateway, TimeSpan Bench, double CpuPressure);
