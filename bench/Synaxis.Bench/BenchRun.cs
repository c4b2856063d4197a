using Synaxis.Bench.Load;
using Synaxis.Bench.Measure;
using Synaxis.Bench.Processes;
using Synaxis.Bench.Reporting;
using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench;

/// <summary>
/// The whole run: the fake upstream, the gateway and the peer each in its own process, one client for
/// all, scenarios a-d in turn against every target, then start-up (e), then the report. Every process
/// started is killed on every way out.
/// </summary>
internal static class BenchRun
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        Report.Header(output, options);
        using var control = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        await using var upstream = await UpstreamProcess.StartAsync(control, cancellationToken);
        var results = new List<ScenarioResult>();
        var gateways = new List<ChildProcess>();
        if (options.Scenarios.Count > 0)
        {
            results.AddRange(await RunLoadScenariosAsync(options, upstream, control, gateways, output, cancellationToken));
        }

        IReadOnlyList<StartupResult> startup = [];
        if (options.RunsStartup)
        {
            startup = await new StartupRunner(upstream, options.RequestTimeout, output).RunAsync(StartupVariants(options, upstream), options.Starts, cancellationToken);
        }

        foreach (var result in results)
        {
            Report.Scenario(output, result);
        }

        if (startup.Count > 0)
        {
            Report.Startup(output, startup);
        }

        var goals = Goal.Judge(results, startup);
        Report.Goals(output, goals);
        Report.Footer(output, gateways);
        if (options.MarkdownPath is { } markdown)
        {
            MarkdownReport.Write(markdown, results, startup, goals);
            output.WriteLine($"Markdown tables written to {markdown}");
        }

        return results.Sum(r => r.Targets.Sum(t => t.Failures)) == 0 ? 0 : 1;
    }

    private static async Task<IReadOnlyList<ScenarioResult>> RunLoadScenariosAsync(
        BenchOptions options, UpstreamProcess upstream, HttpClient control, List<ChildProcess> gateways, TextWriter output, CancellationToken cancellationToken)
    {
        await using var synaxis = SynaxisProcess.Start(options.HostDll, upstream.ApiBase, options.GatewayEnvironment);
        gateways.Add(synaxis);
        await using var compared = options.Compares
            ? SynaxisProcess.Start(options.CompareHostDll ?? options.HostDll, upstream.ApiBase, CompareEnvironment(options), "synaxis-b")
            : null;
        await using var portkey = options.PeerDirectory is { } peer ? PortkeyProcess.Start(peer) : null;
        await using var azurite = options.MeteringAzuriteDirectory is { } azuriteDirectory ? AzuriteProcess.Start(azuriteDirectory) : null;
        ChildProcess? metered = null;
        if (azurite is not null)
        {
            await AzuriteProcess.WaitUntilListeningAsync(azurite, TimeSpan.FromSeconds(30), cancellationToken);
            metered = MeteredGateway.Start(options.HostDll, upstream.ApiBase, azurite, options.GatewayEnvironment);
        }

        await using var meteredProcess = metered;
        await synaxis.WaitUntilAnswersAsync(control, "health", TimeSpan.FromSeconds(30), cancellationToken);
        if (compared is not null)
        {
            gateways.Add(compared);
            await compared.WaitUntilAnswersAsync(control, "health", TimeSpan.FromSeconds(30), cancellationToken);
        }

        string? issuedKey = null;
        if (metered is not null)
        {
            gateways.Add(metered);
            await metered.WaitUntilAnswersAsync(control, "health", TimeSpan.FromSeconds(30), cancellationToken);
            issuedKey = await MeteredGateway.IssueKeyAsync(control, metered, cancellationToken);
        }

        if (portkey is not null)
        {
            gateways.Add(portkey);
            await portkey.WaitUntilAnswersAsync(control, "", TimeSpan.FromSeconds(30), cancellationToken);
        }

        var targets = new List<Target>
        {
            new(Target.Direct, new Uri(upstream.ApiBase + "/chat/completions"), [], null),
            new(synaxis.Name, new Uri(synaxis.BaseUrl, "v1/chat/completions"), [], synaxis),
        };
        if (compared is not null)
        {
            targets.Add(new Target(compared.Name, new Uri(compared.BaseUrl, "v1/chat/completions"), [], compared));
        }

        if (metered is not null)
        {
            targets.Add(new Target(metered.Name, new Uri(metered.BaseUrl, "v1/chat/completions"), [], metered, issuedKey!));
        }

        if (portkey is not null)
        {
            targets.Add(new Target(portkey.Name, new Uri(portkey.BaseUrl, "v1/chat/completions"), PortkeyProcess.Headers(upstream.ApiBase), portkey));
        }

        output.WriteLine($"fake upstream {upstream.Process.BaseUrl} (pid {upstream.Process.Pid}); " +
            string.Join("; ", targets.Where(t => t.IsGateway).Select(t => $"{t.Name} {t.Process!.BaseUrl} (pid {t.Process.Pid})")));
        var pids = new Dictionary<string, int> { [CpuMeter.Bench] = Environment.ProcessId, [CpuMeter.Upstream] = upstream.Process.Pid };
        foreach (var target in targets.Where(t => t.IsGateway))
        {
            pids[target.Name] = target.Process!.Pid;
        }

        if (azurite is not null)
        {
            pids[CpuMeter.Storage] = azurite.Pid;
        }

        using var client = CreateClient(drainOnDispose: true);
        using var abortClient = CreateClient(drainOnDispose: false);
        var runner = new ScenarioRunner(upstream, targets, new CpuMeter(pids), client, abortClient, options.RequestTimeout, output);
        var results = new List<ScenarioResult>();
        foreach (var scenario in options.Scenarios)
        {
            results.Add(await runner.RunAsync(scenario, cancellationToken));
        }

        return results;
    }

    private static List<StartupVariant> StartupVariants(BenchOptions options, UpstreamProcess upstream)
    {
        var variants = new List<StartupVariant>
        {
            new(options.JitHostDll is null ? "synaxis" : "synaxis (ReadyToRun)", () => SynaxisProcess.Start(options.HostDll, upstream.ApiBase, options.GatewayEnvironment), []),
        };
        if (options.JitHostDll is { } jit)
        {
            variants.Add(new("synaxis (JIT only)", () => SynaxisProcess.Start(jit, upstream.ApiBase, options.GatewayEnvironment), []));
        }

        if (options.Compares)
        {
            variants.Add(new("synaxis-b", () => SynaxisProcess.Start(options.CompareHostDll ?? options.HostDll, upstream.ApiBase, CompareEnvironment(options), "synaxis-b"), []));
        }

        if (options.PeerDirectory is { } peer)
        {
            variants.Add(new(PortkeyProcess.Name, () => PortkeyProcess.Start(peer), PortkeyProcess.Headers(upstream.ApiBase)));
        }

        return variants;
    }

    /// <summary>The second gateway's environment: the first one's, with <c>--compare-env</c> on top.</summary>
    private static Dictionary<string, string> CompareEnvironment(BenchOptions options) =>
        options.GatewayEnvironment.Concat(options.CompareEnvironment).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static HttpClient CreateClient(bool drainOnDispose) => new(new SocketsHttpHandler
    {
        // Above the highest concurrency, so that no request ever waits for a connection.
        MaxConnectionsPerServer = 512,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        // The abort client must close a connection it hung up on, never read the rest of the stream to reuse it.
        MaxResponseDrainSize = drainOnDispose ? 1024 * 1024 : 0,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        // Each request carries its own deadline (the probes); this one would only cut long streams short.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
