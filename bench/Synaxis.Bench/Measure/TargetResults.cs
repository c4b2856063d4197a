using Synaxis.Bench.Load;

namespace Synaxis.Bench.Measure;

/// <summary>Every measured round of one target in one scenario, and the figures the report prints.</summary>
internal sealed class TargetResults(Target target)
{
    private readonly List<Round> _rounds = [];

    public Target Target { get; } = target;

    public IReadOnlyList<Round> Rounds => _rounds;

    /// <summary>The target process's peak RSS over the scenario; null for direct.</summary>
    public long? PeakRss { get; set; }

    public int Requests => _rounds.Sum(r => r.Samples.Length);

    public int Failures => Requests - _rounds.Sum(r => r.Succeeded);

    public IEnumerable<string> FailureReasons => _rounds.SelectMany(r => r.Samples).Where(s => !s.Succeeded).Select(s => s.Failure!);

    public Stats Headers => Measure(s => s.HeadersMs);

    public Stats FirstToken => Measure(s => s.FirstTokenMs);

    public Stats Total => Measure(s => s.TotalMs);

    /// <summary>Completed requests per second, the mean over rounds (see <see cref="Round.RequestsPerSecond"/>).</summary>
    public double RequestsPerSecond => _rounds.Average(r => r.RequestsPerSecond);

    /// <summary>The gateway process's CPU per request over its own rounds; NaN for direct.</summary>
    public double GatewayCpuMsPerRequest => Target.IsGateway ? CpuMsPerRequest(Target.Name) : double.NaN;

    public double CpuMsPerRequest(string process) => _rounds.Sum(r => r.Cpu.Of(process).TotalMilliseconds) / Requests;

    /// <summary>Cores' worth of CPU a process used while this target's rounds ran (2.0 = both cores of a 2-core machine).</summary>
    public double Cores(string process) => _rounds.Sum(r => r.Cpu.Of(process).TotalSeconds) / WallSeconds;

    /// <summary>Share of the rounds' time during which some thread on the machine waited for a core, in percent.</summary>
    public double CpuPressurePercent => 100 * _rounds.Sum(r => r.Cpu.CpuPressure * r.Cpu.Wall.TotalSeconds) / WallSeconds;

    public int Aborted => _rounds.Sum(r => r.Aborts?.Aborted ?? 0);

    public int Cancelled => _rounds.Sum(r => r.Aborts?.Cancelled ?? 0);

    public int NeverArrived => _rounds.Sum(r => r.Aborts?.NeverArrived ?? 0);

    public Stats CancelMs => new(_rounds.SelectMany(r => r.Aborts?.CancelMs ?? []));

    private double WallSeconds => _rounds.Sum(r => r.Cpu.Wall.TotalSeconds);

    public void Add(Round round) => _rounds.Add(round);

    private Stats Measure(Func<Sample, double> value) => new(_rounds.SelectMany(r => r.Samples).Where(s => s.Succeeded).Select(value));
}
