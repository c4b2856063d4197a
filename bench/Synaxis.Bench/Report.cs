namespace Synaxis.Bench;

/// <summary>
/// Prints a scenario as one table, direct beside gateway: absolute numbers, the gateway's added
/// milliseconds and the gateway/direct ratio; then the per-round spread, so a reader can tell a real
/// difference from the machine's noise, and a closing summary.
/// </summary>
internal static class Report
{
    private const string Row = "  {0,-32}{1,12}{2,12}{3,14}{4,13}";

    public static void Header(TextWriter output, BenchOptions options)
    {
        var hostDll = options.HostDll;
        output.WriteLine($"Synaxis end-to-end benchmark{(options.Quick ? " (--quick: a smoke run, too short for conclusions)" : "")}");
        output.WriteLine($"  {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        output.WriteLine($"  load average before the run: {ProcFs.LoadAverage()}");
        output.WriteLine($"  gateway: {hostDll} (built {File.GetLastWriteTimeUtc(hostDll):yyyy-MM-dd HH:mm:ss} UTC)");
        foreach (var (name, value) in options.GatewayEnvironment)
        {
            output.WriteLine($"  gateway environment override: {name}={value}");
        }
        output.WriteLine();
    }

    public static void Scenario(TextWriter output, ScenarioResult result)
    {
        var (direct, gateway) = (result.Direct, result.Gateway);
        output.WriteLine();
        output.WriteLine(result.Scenario.Describe());
        output.WriteLine(Row, "", "direct", "gateway", "gw - direct", "gw / direct");
        Latency(output, "time to headers", direct.Headers, gateway.Headers);
        Latency(output, "time to first token", direct.FirstToken, gateway.FirstToken);
        Latency(output, "total stream time", direct.Total, gateway.Total);
        output.WriteLine(Row, "requests/s", $"{direct.RequestsPerSecond:F1}", $"{gateway.RequestsPerSecond:F1}", "", Ratio(gateway.RequestsPerSecond, direct.RequestsPerSecond));
        output.WriteLine(Row, "failed requests", $"{direct.Failures}/{direct.Requests}", $"{gateway.Failures}/{gateway.Requests}", "", "");
        output.WriteLine(Row, "bench CPU ms/request (1)", $"{direct.BenchCpuMsPerRequest:F3}", $"{gateway.BenchCpuMsPerRequest:F3}", "", Ratio(gateway.BenchCpuMsPerRequest, direct.BenchCpuMsPerRequest));
        output.WriteLine(Row, "gateway CPU ms/request (2)", $"{direct.GatewayCpuMsPerRequest:F3}", $"{gateway.GatewayCpuMsPerRequest:F3}", "", "");
        output.WriteLine(Row, "bench CPU, cores (1)", $"{direct.BenchCores:F2}", $"{gateway.BenchCores:F2}", "", "");
        output.WriteLine(Row, "gateway CPU, cores (2)", $"{direct.GatewayCores:F2}", $"{gateway.GatewayCores:F2}", "", "");
        output.WriteLine(Row, "CPU pressure % (3)", Percent(direct.CpuPressurePercent), Percent(gateway.CpuPressurePercent), "", "");

        var pairs = direct.Rounds.Zip(gateway.Rounds).ToList();
        output.WriteLine($"  per round pair, gw / direct req/s:   {string.Join("  ", pairs.Select(p => Ratio(p.Second.RequestsPerSecond, p.First.RequestsPerSecond)))}");
        output.WriteLine($"  per round pair, added TTFT p50 ms:   {string.Join("  ", pairs.Select(p => Added(p.Second.FirstToken.P50, p.First.FirstToken.P50)))}");
        output.WriteLine($"  gateway peak RSS (VmHWM) after this scenario: {result.GatewayPeakRss / (1024.0 * 1024):F1} MiB");
        foreach (var reason in direct.FailureReasons.Select(r => "direct: " + r).Concat(gateway.FailureReasons.Select(r => "gateway: " + r)).Distinct().Take(5))
        {
            output.WriteLine($"  failure: {reason}");
        }
    }

    public static void Footer(TextWriter output, IReadOnlyList<ScenarioResult> results, GatewayProcess gateway)
    {
        output.WriteLine();
        output.WriteLine("  (1) the bench process: load generator and the in-process fake upstream together");
        output.WriteLine("  (2) in the direct column, what the idle gateway used while the direct rounds ran");
        output.WriteLine("  (3) share of the time some thread on the machine waited for a core (/proc/pressure/cpu): near 0, the CPU was not the limit");
        output.WriteLine("  Percentiles are over all measured rounds' requests; 'gw - direct' subtracts percentiles, it does not pair requests.");
        output.WriteLine($"  The gateway wrote {gateway.OutputLines} line(s) to stdout/stderr at log level Warning.");
        foreach (var line in gateway.OutputLines > 0 ? gateway.RecentOutput.Take(10) : [])
        {
            output.WriteLine($"    | {line}");
        }

        output.WriteLine();
        output.WriteLine("Summary (gateway against direct, in this run):");
        foreach (var result in results)
        {
            var (s, direct, gw) = (result.Scenario, result.Direct, result.Gateway);
            output.WriteLine(
                $"  ({s.Key}) concurrency {s.Concurrency}: first token p50 {Added(gw.FirstToken.P50, direct.FirstToken.P50)} ms, p99 {Added(gw.FirstToken.P99, direct.FirstToken.P99)} ms; " +
                $"headers p50 {Added(gw.Headers.P50, direct.Headers.P50)} ms; throughput {Ratio(gw.RequestsPerSecond, direct.RequestsPerSecond)} of direct; " +
                $"gateway {gw.GatewayCpuMsPerRequest:F3} ms CPU per request");
        }
    }

    private static void Latency(TextWriter output, string what, Stats direct, Stats gateway)
    {
        output.WriteLine(Row, $"{what}, p50 ms", $"{direct.P50:F3}", $"{gateway.P50:F3}", Added(gateway.P50, direct.P50), Ratio(gateway.P50, direct.P50));
        output.WriteLine(Row, $"{what}, p99 ms", $"{direct.P99:F3}", $"{gateway.P99:F3}", Added(gateway.P99, direct.P99), Ratio(gateway.P99, direct.P99));
    }

    private static string Added(double gateway, double direct) => $"{gateway - direct:+0.000;-0.000;0.000}";

    private static string Percent(double value) => double.IsNaN(value) ? "n/a" : $"{value:F0}";

    private static string Ratio(double gateway, double direct) => direct > 0 ? $"{gateway / direct:F2}x" : "n/a";
}
