using Synaxis.Bench.Load;

namespace Synaxis.Bench.Scenarios;

/// <summary>How a scenario's requests are sent and judged.</summary>
internal enum ScenarioKind
{
    /// <summary>Streamed requests read to <c>[DONE]</c>.</summary>
    Streamed,

    /// <summary>Non-streamed requests read whole.</summary>
    Completed,

    /// <summary>Streamed requests the client hangs up on at the first token; the upstream says when it noticed.</summary>
    Aborted,
}

/// <summary>
/// One load shape: what the fake upstream streams (chunks and their pacing) and how hard the client
/// pushes (requests in flight), with the fixed request counts that bound how long it runs.
/// </summary>
internal sealed record Scenario(
    string Key,
    string Title,
    ScenarioKind Kind,
    int Concurrency,
    int Chunks,
    TimeSpan FirstDelay,
    TimeSpan BetweenDelay,
    RoundSize Warmup,
    RoundSize Measured,
    int Rounds)
{
    /// <summary>The longest the upstream's ledger may take to settle after an abort round: the stream's whole length, and slack.</summary>
    public TimeSpan StreamLength => FirstDelay + (BetweenDelay * Chunks);

    public static IReadOnlyList<Scenario> All(bool quick)
    {
        var warmup = RoundSize.Timed(TimeSpan.FromSeconds(quick ? 1 : 2));
        var round = RoundSize.Timed(TimeSpan.FromSeconds(quick ? 1 : 3));
        var rounds = quick ? 2 : 5;
        var fiveMs = TimeSpan.FromMilliseconds(5);
        return
        [
            // (a) One stream at a time from an upstream that answers at once: nothing is left to wait for but the
            // processes' own work, so gateway minus direct is the latency the gateway adds.
            new("a", "added latency", ScenarioKind.Streamed, 1, 20, TimeSpan.Zero, TimeSpan.Zero, warmup, round, rounds),
            // (b) Streams paced like a fast model (5 ms to the first token, 5 ms between tokens, so at least 100 ms each):
            // throughput, time to first token under load, CPU per stream, memory.
            new("b64", "streams under load", ScenarioKind.Streamed, 64, 20, fiveMs, fiveMs, warmup, round, rounds),
            new("b256", "streams under heavy load", ScenarioKind.Streamed, 256, 20, fiveMs, fiveMs, warmup, round, rounds),
            // (c) Non-streamed answers with no upstream delay: what a request costs when nothing waits.
            new("c", "non-streamed", ScenarioKind.Completed, 64, 20, TimeSpan.Zero, TimeSpan.Zero, warmup, round, rounds),
            // (d) The client hangs up at the first token of a 2 s stream: does the upstream call stop, and how soon?
            new("d", "client aborts", ScenarioKind.Aborted, 16, 100, fiveMs, TimeSpan.FromMilliseconds(20),
                RoundSize.Counted(32), RoundSize.Counted(quick ? 50 : 100), quick ? 2 : 4),
        ];
    }

    public string Describe()
    {
        var rounds = Measured.MaxRequests == int.MaxValue
            ? $"{Rounds} rounds of {Measured.Length.TotalSeconds:0} s per target"
            : $"{Rounds} rounds of {Measured.MaxRequests} requests per target";
        return Kind switch
        {
            ScenarioKind.Completed => $"({Key}) {Title}: {Concurrency} requests in flight, non-streamed answers, no upstream delay; {rounds}",
            ScenarioKind.Aborted => $"({Key}) {Title}: {Concurrency} streams in flight, each hung up on at its first token; the upstream would stream {Chunks} chunks " +
                $"{BetweenDelay.TotalMilliseconds:0} ms apart; {rounds}",
            _ => $"({Key}) {Title}: {Concurrency} stream(s) in flight, {Chunks} chunks, first token after {FirstDelay.TotalMilliseconds:0} ms, " +
                $"{BetweenDelay.TotalMilliseconds:0} ms between; {rounds}",
        };
    }
}
