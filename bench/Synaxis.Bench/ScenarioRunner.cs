using Synaxis.Testing;

namespace Synaxis.Bench;

/// <summary>
/// Runs a scenario against both targets: sets the fake upstream's pacing, warms both targets up,
/// then alternates measured rounds (direct, gateway, direct, gateway, …) so that whatever else the
/// shared machine does drifts over both targets alike, and reads the CPU counters around each round.
/// </summary>
internal sealed class ScenarioRunner(FakeUpstream upstream, GatewayProcess gateway, LoadRunner load, Target direct, Target viaGateway, TextWriter progress)
{
    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        upstream.Behavior = Respond.Synthetic(scenario.Chunks, scenario.FirstDelay, scenario.BetweenDelay);
        progress.WriteLine(scenario.Describe());

        // Warm-up: JIT tiers, connection pools on both hops, Kestrel's and the thread pool's sizing; nothing recorded, nothing may fail.
        foreach (var target in new[] { direct, viaGateway })
        {
            progress.WriteLine($"  warm-up {target.Name}: {scenario.WarmupRequests} requests");
            await RunRoundAsync(target, scenario, scenario.WarmupRequests, maxFailures: 0, cancellationToken);
        }

        var results = new[] { new TargetResults(direct), new TargetResults(viaGateway) };
        for (var round = 1; round <= scenario.Rounds; round++)
        {
            foreach (var result in results)
            {
                // Some requests may fail and be counted; more than 5% means something is broken, not noisy.
                var measured = await RunRoundAsync(result.Target, scenario, scenario.RequestsPerRound, Math.Max(1, scenario.RequestsPerRound / 20), cancellationToken);
                result.Add(measured);
                progress.WriteLine(
                    $"  round {round}/{scenario.Rounds} {result.Target.Name,-7}: {measured.RequestsPerSecond,8:F1} req/s, first token p50 {measured.FirstToken.P50,7:F3} ms, " +
                    $"CPU ms bench {measured.Cpu.Bench.TotalMilliseconds,5:F0} gateway {measured.Cpu.Gateway.TotalMilliseconds,5:F0}, CPU pressure {100 * measured.Cpu.CpuPressure,3:F0}%, " +
                    $"{measured.Samples.Length - measured.Succeeded} failed");
            }
        }

        return new ScenarioResult(scenario, results[0], results[1], ProcFs.PeakRss(gateway.Pid));
    }

    private async Task<Round> RunRoundAsync(Target target, Scenario scenario, int requests, int maxFailures, CancellationToken cancellationToken)
    {
        // The fake upstream records every request it serves; nothing here reads them, so keep its memory flat.
        upstream.Requests.Clear();
        gateway.ThrowIfExited();
        var before = CpuReading.Take(gateway.Pid);
        Sample[] samples;
        TimeSpan elapsed;
        try
        {
            (samples, elapsed) = await load.RunAsync(target, requests, scenario.Concurrency, scenario.Chunks, maxFailures, cancellationToken);
        }
        catch (BenchFailure)
        {
            gateway.ThrowIfExited(); // a dead gateway explains the failures better than the failures do
            throw;
        }

        gateway.ThrowIfExited();
        var cpu = CpuReading.Take(gateway.Pid).Since(before);
        return new Round(samples, elapsed, cpu);
    }
}
