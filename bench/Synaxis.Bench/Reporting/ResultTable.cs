using System.Globalization;
using Synaxis.Bench.Measure;
using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench.Reporting;

/// <summary>
/// A scenario's results as rows of text, one column per target and, for each gateway, its difference
/// from direct and its ratio to direct; printed to the console and written as Markdown from the same rows.
/// </summary>
internal sealed record ResultTable(IReadOnlyList<string> Columns, IReadOnlyList<(string Label, string[] Cells)> Rows)
{
    public static ResultTable For(ScenarioResult result)
    {
        var direct = result.Direct;
        var gateways = result.Targets.Where(t => t.Target.IsGateway).ToList();
        var columns = result.Targets.Select(t => t.Target.Name)
            .Concat(gateways.Select(g => $"{g.Target.Name} - direct"))
            .Concat(gateways.Select(g => $"{g.Target.Name} / direct"))
            .ToList();
        var rows = new List<(string, string[])>();

        void Row(string label, Func<TargetResults, double> value, string format, bool added = true, bool ratio = true) =>
            rows.Add((label, [
                .. result.Targets.Select(t => Number(value(t), format)),
                .. gateways.Select(g => added ? Added(value(g), value(direct), format) : ""),
                .. gateways.Select(g => ratio ? Ratio(value(g), value(direct)) : ""),
            ]));

        void Text(string label, Func<TargetResults, string> value) =>
            rows.Add((label, [.. result.Targets.Select(value), .. gateways.Select(_ => ""), .. gateways.Select(_ => "")]));

        var kind = result.Scenario.Kind;
        if (kind == ScenarioKind.Streamed)
        {
            Row("time to headers p50, ms", t => t.Headers.P50, "F3");
            Row("time to headers p99, ms", t => t.Headers.P99, "F3");
            Row("time to first token p50, ms", t => t.FirstToken.P50, "F3");
            Row("time to first token p99, ms", t => t.FirstToken.P99, "F3");
        }

        if (kind is ScenarioKind.Streamed or ScenarioKind.Completed)
        {
            Row($"{(kind == ScenarioKind.Streamed ? "total stream time" : "time to answer")} p50, ms", t => t.Total.P50, "F3");
            Row($"{(kind == ScenarioKind.Streamed ? "total stream time" : "time to answer")} p99, ms", t => t.Total.P99, "F3");
            Row("requests/s", t => t.RequestsPerSecond, "F1", added: false);
        }

        if (kind == ScenarioKind.Aborted)
        {
            Row("time to first token p50, ms", t => t.FirstToken.P50, "F3");
            Text("upstream streams cancelled", t => $"{t.Cancelled}/{t.Aborted}");
            Row("hang-up to upstream cancel p50, ms", t => t.CancelMs.P50, "F3", ratio: false);
            Row("hang-up to upstream cancel max, ms", t => t.CancelMs.Percentile(100), "F3", ratio: false);
        }

        Text("failed requests", t => $"{t.Failures}/{t.Requests}");
        Row("gateway CPU ms/request", t => t.GatewayCpuMsPerRequest, "F3", added: false, ratio: false);
        Row("gateway peak RSS, MiB", t => t.PeakRss is { } peak ? peak / (1024.0 * 1024) : double.NaN, "F1", added: false, ratio: false);
        Row("load generator CPU ms/request", t => t.CpuMsPerRequest(CpuMeter.Bench), "F3", added: false);
        Row("load generator CPU, cores", t => t.Cores(CpuMeter.Bench), "F2", added: false, ratio: false);
        Row("fake upstream CPU ms/request", t => t.CpuMsPerRequest(CpuMeter.Upstream), "F3", added: false);
        Row("CPU pressure, %", t => t.CpuPressurePercent, "F0", added: false, ratio: false);
        return new ResultTable(columns, rows);
    }

    /// <summary>Scenario (e) as rows: one column per variant.</summary>
    public static ResultTable For(IReadOnlyList<StartupResult> startup)
    {
        var columns = startup.Select(s => s.Variant).ToList();
        var rows = new List<(string, string[])>
        {
            ("start to first answer p50, ms", [.. startup.Select(s => Number(new Stats(s.FirstAnswerMs).P50, "F0"))]),
            ("start to first answer max, ms", [.. startup.Select(s => Number(new Stats(s.FirstAnswerMs).Percentile(100), "F0"))]),
            ("CPU used by the first answer p50, ms", [.. startup.Select(s => Number(new Stats(s.CpuMs).P50, "F0"))]),
            ($"idle RSS p50 ({StartupRunner.IdleWait.TotalSeconds:0} s after), MiB", [.. startup.Select(s => Number(new Stats(s.IdleRss.Select(r => r / (1024.0 * 1024))).P50, "F1"))]),
        };
        return new ResultTable(columns, rows);
    }

    public static string Number(double value, string format) => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Added(double gateway, double direct, string format) =>
        double.IsNaN(gateway) || double.IsNaN(direct)
            ? ""
            : (gateway - direct).ToString(format == "F1" ? "+0.0;-0.0;0.0" : "+0.000;-0.000;0.000", CultureInfo.InvariantCulture);

    public static string Ratio(double gateway, double direct) =>
        direct > 0 && !double.IsNaN(gateway) ? (gateway / direct).ToString("F2", CultureInfo.InvariantCulture) + "x" : "";
}
