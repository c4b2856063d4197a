using System.Diagnostics;
using Synaxis.Bench.Load;
using Synaxis.Bench.Processes;

namespace Synaxis.Bench.Scenarios;

/// <summary>
/// Scenario (e): starts each variant afresh several times, alternating variants, and times process start
/// (just before <c>Process.Start</c>) to the first streamed chat request answered in full through it,
/// polling every 10 ms. Then, after <see cref="IdleWait"/> without traffic, reads its resident memory.
/// </summary>
internal sealed class StartupRunner(UpstreamProcess upstream, TimeSpan requestTimeout, TextWriter progress)
{
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    public const int Chunks = 20;

    public async Task<IReadOnlyList<StartupResult>> RunAsync(IReadOnlyList<StartupVariant> variants, int starts, CancellationToken cancellationToken)
    {
        await upstream.ScriptAsync(Chunks, TimeSpan.Zero, TimeSpan.Zero, cancellationToken);
        progress.WriteLine($"(e) start-up: {string.Join(", ", variants.Select(v => v.Name))}, {starts} starts each, alternating; idle memory {IdleWait.TotalSeconds:0} s after the first answer");
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var memory = variants.ToDictionary(v => v.Name, _ => new List<long>());
        var cpu = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var i = 1; i <= starts; i++)
        {
            foreach (var variant in variants)
            {
                var (elapsed, used, idleRss) = await StartOnceAsync(variant, cancellationToken);
                times[variant.Name].Add(elapsed.TotalMilliseconds);
                cpu[variant.Name].Add(used.TotalMilliseconds);
                memory[variant.Name].Add(idleRss);
                progress.WriteLine($"  start {i}/{starts} {variant.Name,-22}: first answer after {elapsed.TotalMilliseconds,7:F0} ms, {used.TotalMilliseconds,5:F0} ms CPU, idle RSS {idleRss / (1024.0 * 1024),6:F1} MiB");
            }
        }

        return variants.Select(v => new StartupResult(v.Name, times[v.Name], cpu[v.Name], memory[v.Name])).ToList();
    }

    private async Task<(TimeSpan Elapsed, TimeSpan Cpu, long IdleRss)> StartOnceAsync(StartupVariant variant, CancellationToken cancellationToken)
    {
        // A fresh pool per start: nothing may be reused from an earlier process's port.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = Timeout.InfiniteTimeSpan };
        await using var process = variant.Start();
        var target = new Target(variant.Name, new Uri(process.BaseUrl, "v1/chat/completions"), variant.Headers, process);
        var deadline = process.StartTimestamp + (long)(StartLimit.TotalSeconds * Stopwatch.Frequency);
        Sample sample;
        while (true)
        {
            process.ThrowIfExited();
            sample = await StreamProbe.SendAsync(client, target, ChatRequests.Streamed, Chunks, abortAfterFirstToken: false, requestTimeout, cancellationToken);
            if (sample.Succeeded || Stopwatch.GetTimestamp() > deadline)
            {
                break;
            }

            await Task.Delay(10, cancellationToken);
        }

        var elapsed = Stopwatch.GetElapsedTime(process.StartTimestamp);
        var used = ProcFs.ProcessCpu(process.Pid);
        if (!sample.Succeeded)
        {
            throw new BenchFailure($"{variant.Name} answered no request within {StartLimit.TotalSeconds:0} s of its start; the last attempt: {sample.Failure}. {process.OutputTail()}");
        }

        await Task.Delay(IdleWait, cancellationToken);
        return (elapsed, used, ProcFs.Rss(process.Pid));
    }
}
