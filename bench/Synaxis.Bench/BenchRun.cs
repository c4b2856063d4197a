using Synaxis.Testing;

namespace Synaxis.Bench;

/// <summary>
/// The whole run: the fake upstream in this process, the gateway in its own, one client for both,
/// every scenario in turn, then the report. The gateway process is killed on every way out.
/// </summary>
internal static class BenchRun
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        Report.Header(output, options);
        await using var upstream = await FakeUpstream.StartAsync();
        using var client = CreateClient();
        await using var gateway = await GatewayProcess.StartAsync(options.HostDll, upstream.BaseUrl, options.GatewayEnvironment, client, cancellationToken);
        output.WriteLine($"fake upstream {upstream.BaseUrl}, gateway {gateway.BaseUrl} (pid {gateway.Pid})");

        var direct = new Target("direct", new Uri(upstream.BaseUrl + "/chat/completions"));
        var viaGateway = new Target("gateway", new Uri(gateway.BaseUrl, "v1/chat/completions"));
        var runner = new ScenarioRunner(upstream, gateway, new LoadRunner(client, options.RequestTimeout), direct, viaGateway, output);
        var results = new List<ScenarioResult>();
        foreach (var scenario in options.Scenarios)
        {
            results.Add(await runner.RunAsync(scenario, cancellationToken));
        }

        foreach (var result in results)
        {
            Report.Scenario(output, result);
        }

        Report.Footer(output, results, gateway);
        var failures = results.Sum(r => r.Direct.Failures + r.Gateway.Failures);
        return failures == 0 ? 0 : 1;
    }

    private static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        // Above the highest concurrency, so that no request ever waits for a connection.
        MaxConnectionsPerServer = 512,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        // Each request carries its own deadline (StreamProbe); this one would only cut long streams short.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
