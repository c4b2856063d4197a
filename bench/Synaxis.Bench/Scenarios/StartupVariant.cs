using Synaxis.Bench.Processes;

namespace Synaxis.Bench.Scenarios;

/// <summary>One way to start a gateway for scenario (e): its name, how to start it, and the headers its requests need.</summary>
internal sealed record StartupVariant(string Name, Func<ChildProcess> Start, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// What scenario (e) measured for one variant: process start to first answered request, the CPU the process
/// had used by then (steadier than wall time on a busy machine, so the better measure for comparing
/// builds), and resident memory once idle.
/// </summary>
internal sealed record StartupResult(string Variant, IReadOnlyList<double> FirstAnswerMs, IReadOnlyList<double> CpuMs, IReadOnlyList<long> IdleRss);
