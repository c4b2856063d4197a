using System.Globalization;
using Synaxis.Bench.Measure;
using Synaxis.Bench.Processes;
using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench.Reporting;

/// <summary>One performance goal and what this run measured for it; <see cref="Met"/> is null when the run did not measure it.</summary>
internal sealed record Goal(string Scenario, string Text, string Measured, bool? Met)
{
    private const string Synaxis = "synaxis";

    /// <summary>The goals the gateway is held to (bench/README.md), judged from this run's results.</summary>
    public static IReadOnlyList<Goal> Judge(IReadOnlyList<ScenarioResult> results, IReadOnlyList<StartupResult> startup)
    {
        var goals = new List<Goal>();
        var byKey = results.ToDictionary(r => r.Scenario.Key);

        void Add(string key, string text, Func<ScenarioResult, TargetResults, (string Measured, bool? Met)> judge)
        {
            if (byKey.TryGetValue(key, out var result) && result.Find(Synaxis) is { } synaxis)
            {
                var (measured, met) = judge(result, synaxis);
                goals.Add(new Goal(key, text, measured, met));
            }
        }

        Add("a", "added time to first token p50 < 0.3 ms", (r, s) => Below(s.FirstToken.P50 - r.Direct.FirstToken.P50, 0.3, " ms"));
        Add("b64", "added time to first token p50 < 1 ms", (r, s) => Below(s.FirstToken.P50 - r.Direct.FirstToken.P50, 1, " ms"));
        Add("b64", "added time to first token p99 < 5 ms", (r, s) => Below(s.FirstToken.P99 - r.Direct.FirstToken.P99, 5, " ms"));
        Add("b64", "gateway CPU per 20-chunk stream < 0.3 ms", (_, s) => Below(s.GatewayCpuMsPerRequest, 0.3, " ms"));
        Add("b256", "streamed requests/s >= 0.9x direct", (r, s) => AtLeast(s.RequestsPerSecond / r.Direct.RequestsPerSecond, 0.9, "x"));
        Add("b256", "gateway CPU per 20-chunk stream < 0.3 ms", (_, s) => Below(s.GatewayCpuMsPerRequest, 0.3, " ms"));
        Add("b256", "peak memory < 150 MiB", (_, s) => Below(s.PeakRss is { } peak ? peak / (1024.0 * 1024) : double.NaN, 150, " MiB"));
        Add("c", "non-streamed requests/s >= 3x the peer's", (r, s) => r.Find(PortkeyProcess.Name) is { } peer
            ? AtLeast(s.RequestsPerSecond / peer.RequestsPerSecond, 3, "x")
            : ("no peer in this run", null));
        Add("d", "every aborted upstream stream cancelled", (_, s) => ($"{s.Cancelled}/{s.Aborted}", s.Aborted > 0 && s.Cancelled == s.Aborted));
        Add("d", "cancelled within 50 ms at the worst", (_, s) => Below(s.CancelMs.Percentile(100), 50, " ms"));
        if (startup.FirstOrDefault(s => s.Variant.StartsWith(Synaxis, StringComparison.Ordinal)) is { } shipped)
        {
            var (measured, met) = Below(new Stats(shipped.FirstAnswerMs).Percentile(100), 1000, " ms");
            goals.Add(new Goal("e", $"first answered request < 1 s after process start ({shipped.Variant}, slowest start)", measured, met));
        }

        return goals;
    }

    private static (string, bool?) Below(double value, double limit, string unit) =>
        double.IsNaN(value) ? ("not measured", null) : (Format(value) + unit, value < limit);

    private static (string, bool?) AtLeast(double value, double limit, string unit) =>
        double.IsNaN(value) ? ("not measured", null) : (Format(value) + unit, value >= limit);

    private static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "F0" : "F3", CultureInfo.InvariantCulture);
}
