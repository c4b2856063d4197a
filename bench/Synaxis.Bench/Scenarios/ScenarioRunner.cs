using System.Globalization;
using Synaxis.Bench.Load;
using Synaxis.Bench.Measure;
using Synaxis.Bench.Processes;

namespace Synaxis.Bench.Scenarios;

/// <summary>
/// Runs a scenario against every target: scripts the fake upstream, warms each target up, then
/// alternates measured rounds (direct, synaxis, portkey, direct, …) so that whatever else the shared
/// machine does drifts over all targets alike, reading every process's CPU around each round.
/// </summary>
internal sealed class ScenarioRunner(
    UpstreamProcess upstream, IReadOnlyList<Target> targets, CpuMeter cpu, HttpClient client, HttpClient abortClient, TimeSpan requestTimeout, TextWriter progress)
{
    private int _roundNumber;

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        await upstream.ScriptAsync(scenario.Chunks, scenario.FirstDelay, scenario.BetweenDelay, cancellationToken);
        progress.WriteLine(scenario.Describe());

        // Warm-up: JIT tiers, connection pools on both hops, the servers' and thread pools' sizing; nothing recorded, nothing may fail.
        foreach (var target in targets)
        {
            progress.WriteLine($"  warm-up {target.Name}");
            await RunRoundAsync(target, scenario, scenario.Warmup, tolerateFailures: false, cancellationToken);
        }

        // Each scenario's peak memory is its own, not the highest of the run so far.
        foreach (var target in targets.Where(t => t.IsGateway))
        {
            ProcFs.ResetPeakRss(target.Process!.Pid);
        }

        var results = targets.Select(t => new TargetResults(t)).ToList();
        for (var round = 1; round <= scenario.Rounds; round++)
        {
            foreach (var result in results)
            {
                var measured = await RunRoundAsync(result.Target, scenario, scenario.Measured, tolerateFailures: true, cancellationToken);
                result.Add(measured);
                progress.WriteLine(Progress(round, scenario, result.Target, measured));
            }
        }

        foreach (var result in results.Where(r => r.Target.IsGateway))
        {
            result.PeakRss = ProcFs.PeakRss(result.Target.Process!.Pid);
        }

        return new ScenarioResult(scenario, results);
    }

    private async Task<Round> RunRoundAsync(Target target, Scenario scenario, RoundSize size, bool tolerateFailures, CancellationToken cancellationToken)
    {
        ThrowIfAnyExited();
        var tagPrefix = string.Create(CultureInfo.InvariantCulture, $"r{Interlocked.Increment(ref _roundNumber)}-");
        if (scenario.Kind == ScenarioKind.Aborted)
        {
            await upstream.ResetLedgerAsync(cancellationToken);
        }

        var before = cpu.Take();
        RoundRun run;
        try
        {
            run = await LoadRunner.RunAsync(target.Name, size, scenario.Concurrency, tolerateFailures, (index, token) => scenario.Kind switch
            {
                ScenarioKind.Completed => CompletionProbe.SendAsync(client, target, requestTimeout, token),
                ScenarioKind.Aborted => StreamProbe.SendAsync(abortClient, target, ChatRequests.Tagged(tagPrefix + index), scenario.Chunks, abortAfterFirstToken: true, requestTimeout, token),
                _ => StreamProbe.SendAsync(client, target, ChatRequests.Streamed, scenario.Chunks, abortAfterFirstToken: false, requestTimeout, token),
            }, cancellationToken);
        }
        catch (BenchFailure)
        {
            ThrowIfAnyExited(); // a dead process explains the failures better than the failures do
            throw;
        }

        var used = cpu.Take().Since(before);
        AbortOutcome? aborts = null;
        if (scenario.Kind == ScenarioKind.Aborted)
        {
            // Streams nobody cancelled run to their end; wait for them so they do not load the next round.
            var ledger = await upstream.SettleAsync(scenario.StreamLength * 2 + TimeSpan.FromSeconds(5), cancellationToken);
            aborts = AbortOutcome.From(run.Samples, tagPrefix, ledger);
        }

        ThrowIfAnyExited();
        return new Round(run, used, aborts);
    }

    private void ThrowIfAnyExited()
    {
        upstream.Process.ThrowIfExited();
        foreach (var target in targets)
        {
            target.Process?.ThrowIfExited();
        }
    }

    private static string Progress(int round, Scenario scenario, Target target, Round measured)
    {
        var line = $"  round {round}/{scenario.Rounds} {target.Name,-8}: {measured.RequestsPerSecond,8:F1} req/s, first token p50 {measured.FirstToken.P50,8:F3} ms, " +
            $"CPU ms: bench {measured.Cpu.Of(CpuMeter.Bench).TotalMilliseconds,5:F0} upstream {measured.Cpu.Of(CpuMeter.Upstream).TotalMilliseconds,5:F0}" +
            (target.IsGateway ? $" {target.Name} {measured.Cpu.Of(target.Name).TotalMilliseconds,5:F0}" : "") +
            (measured.Cpu.Cpu.ContainsKey(CpuMeter.Storage) ? $" azurite {measured.Cpu.Of(CpuMeter.Storage).TotalMilliseconds,5:F0}" : "") +
            $", CPU pressure {100 * measured.Cpu.CpuPressure,3:F0}%, {measured.Samples.Length - measured.Succeeded} failed";
        return measured.Aborts is { } aborts ? line + $", upstream streams cancelled {aborts.Cancelled}/{aborts.Aborted}" : line;
    }
}
