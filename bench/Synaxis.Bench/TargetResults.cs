namespace Synaxis.Bench;

/// <summary>Every measured round of one target in one scenario, and the figures the report prints.</summary>
internal sealed class TargetResults(Target target)
{
    private readonly List<Round> _rounds = [];

    public Target Target { get; } = target;

    public IReadOnlyList<Round> Rounds => _rounds;

    public int Requests => _rounds.Sum(r => r.Samples.Length);

    public int Failures => Requests - _rounds.Sum(r => r.Succeeded);

    public IEnumerable<string> FailureReasons => _rounds.SelectMany(r => r.Samples).Where(s => !s.Succeeded).Select(s => s.Failure!);

    public Stats Headers => Measure(s => s.HeadersMs);

    public Stats FirstToken => Measure(s => s.FirstTokenMs);

    public Stats Total => Measure(s => s.TotalMs);

    /// <summary>Completed streams per second of round time, over all rounds.</summary>
    public double RequestsPerSecond => _rounds.Sum(r => r.Succeeded) / _rounds.Sum(r => r.Elapsed.TotalSeconds);

    public double BenchCpuMsPerRequest => _rounds.Sum(r => r.Cpu.Bench.TotalMilliseconds) / Requests;

    public double GatewayCpuMsPerRequest => _rounds.Sum(r => r.Cpu.Gateway.TotalMilliseconds) / Requests;

    /// <summary>Cores' worth of CPU the bench process used while the rounds ran (2.0 = both cores of this machine).</summary>
    public double BenchCores => _rounds.Sum(r => r.Cpu.Bench.TotalSeconds) / WallSeconds;

    public double GatewayCores => _rounds.Sum(r => r.Cpu.Gateway.TotalSeconds) / WallSeconds;

    /// <summary>Share of the rounds' time during which some thread on the machine waited for a core, in percent.</summary>
    public double CpuPressurePercent => 100 * _rounds.Sum(r => r.Cpu.CpuPressure * r.Cpu.Wall.TotalSeconds) / WallSeconds;

    private double WallSeconds => _rounds.Sum(r => r.Cpu.Wall.TotalSeconds);

    public void Add(Round round) => _rounds.Add(round);

    private Stats Measure(Func<Sample, double> value) => new(_rounds.SelectMany(r => r.Samples).Where(s => s.Succeeded).Select(value));
}
