namespace Synaxis.Bench;

/// <summary>One measured round against one target: every request's sample, how long the round took, and the CPU it cost.</summary>
internal sealed record Round(Sample[] Samples, TimeSpan Elapsed, CpuUse Cpu)
{
    public int Succeeded => Samples.Count(s => s.Succeeded);

    public double RequestsPerSecond => Succeeded / Elapsed.TotalSeconds;

    public Stats FirstToken => new(Samples.Where(s => s.Succeeded).Select(s => s.FirstTokenMs));
}
