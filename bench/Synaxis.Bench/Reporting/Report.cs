using Synaxis.Bench.Measure;
using Synaxis.Bench.Processes;
using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench.Reporting;

/// <summary>
/// Prints the run: a header saying where and when, each scenario as one table (targets side by side,
/// each gateway's difference from and ratio to direct), the per-round spread so a reader can tell a real
/// difference from the machine's noise, start-up, and the goals met or missed.
/// </summary>
internal static class Report
{
    public static void Header(TextWriter output, BenchOptions options)
    {
        output.WriteLine($"Synaxis end-to-end benchmark{(options.Quick ? " (--quick: a smoke run, too short for conclusions)" : "")}");
        output.WriteLine($"  {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} cores ({ProcFs.CpuModel()}), {Environment.OSVersion}, .NET {Environment.Version}");
        output.WriteLine($"  load average before the run: {ProcFs.LoadAverage()}");
        output.WriteLine($"  gateway: {options.HostDll} (built {File.GetLastWriteTimeUtc(options.HostDll):yyyy-MM-dd HH:mm:ss} UTC)");
        output.WriteLine($"  peer: {(options.PeerDirectory is { } peer ? $"Portkey AI Gateway from {peer}" : "none")}");
        foreach (var (name, value) in options.GatewayEnvironment)
        {
            output.WriteLine($"  gateway environment override: {name}={value}");
        }

        if (options.Compares)
        {
            output.WriteLine($"  synaxis-b: {options.CompareHostDll ?? options.HostDll}{string.Concat(options.CompareEnvironment.Select(v => $" {v.Key}={v.Value}"))}");
        }

        output.WriteLine();
    }

    public static void Scenario(TextWriter output, ScenarioResult result)
    {
        output.WriteLine();
        output.WriteLine(result.Scenario.Describe());
        Table(output, ResultTable.For(result));
        var gateways = result.Targets.Where(t => t.Target.IsGateway).ToList();
        foreach (var gateway in gateways)
        {
            var pairs = result.Direct.Rounds.Zip(gateway.Rounds).ToList();
            output.WriteLine($"  per round, {gateway.Target.Name} / direct req/s: {string.Join("  ", pairs.Select(p => ResultTable.Ratio(p.Second.RequestsPerSecond, p.First.RequestsPerSecond)))}; " +
                $"added TTFT p50 ms: {string.Join("  ", pairs.Select(p => ResultTable.Added(p.Second.FirstToken.P50, p.First.FirstToken.P50, "F3")))}");
        }

        foreach (var target in result.Targets)
        {
            foreach (var reason in target.FailureReasons.Distinct().Take(3))
            {
                output.WriteLine($"  failure ({target.Target.Name}): {reason}");
            }

            if (target.NeverArrived > 0)
            {
                output.WriteLine($"  {target.Target.Name}: {target.NeverArrived} aborted request(s) never reached the upstream");
            }
        }
    }

    public static void Startup(TextWriter output, IReadOnlyList<StartupResult> startup)
    {
        output.WriteLine();
        output.WriteLine("(e) start-up: process start to the first streamed chat request answered in full, and resident memory when idle");
        Table(output, ResultTable.For(startup));
    }

    public static void Goals(TextWriter output, IReadOnlyList<Goal> goals)
    {
        output.WriteLine();
        output.WriteLine("Goals (synaxis):");
        foreach (var goal in goals)
        {
            var verdict = goal.Met switch { true => "met", false => "MISSED", null => "n/a" };
            output.WriteLine($"  {verdict,-7} ({goal.Scenario}) {goal.Text}: {goal.Measured}");
        }
    }

    public static void Footer(TextWriter output, IEnumerable<ChildProcess> gateways)
    {
        output.WriteLine();
        output.WriteLine("  load generator: this process alone (the fake upstream runs as its own process); its cores show it was not the limit when well below the machine's.");
        output.WriteLine("  gateway CPU and RSS: the gateway process's own, from /proc; CPU pressure: share of time some thread on the machine waited for a core.");
        output.WriteLine("  Percentiles are over all measured rounds' requests; '- direct' subtracts percentiles, it does not pair requests.");
        foreach (var gateway in gateways)
        {
            output.WriteLine($"  {gateway.Name} wrote {gateway.OutputLines} line(s) to stdout/stderr.");
            foreach (var line in gateway.Name == PortkeyProcess.Name ? [] : gateway.RecentOutput.Take(10))
            {
                output.WriteLine($"    | {line}");
            }
        }
    }

    private static void Table(TextWriter output, ResultTable table)
    {
        const int LabelWidth = 36;
        var width = Math.Max(12, table.Columns.Max(c => c.Length) + 2);
        output.WriteLine("  " + "".PadRight(LabelWidth) + string.Concat(table.Columns.Select(c => c.PadLeft(width))));
        foreach (var (label, cells) in table.Rows)
        {
            output.WriteLine("  " + label.PadRight(LabelWidth) + string.Concat(cells.Select(c => c.PadLeft(width))));
        }
    }
}
