namespace Synaxis.Bench;

/// <summary>
/// One load shape: what the fake upstream streams (chunks and their pacing) and how hard the client
/// pushes (streams in flight), with the fixed request counts that bound how long it runs.
/// </summary>
internal sealed record Scenario(
    string Key,
    string Title,
    int Concurrency,
    int Chunks,
    TimeSpan FirstDelay,
    TimeSpan BetweenDelay,
    int WarmupRequests,
    int RequestsPerRound,
    int Rounds)
{
    public static IReadOnlyList<Scenario> All(bool quick) => [AddedLatency(quick), Throughput(quick)];

    /// <summary>
    /// (a) One stream at a time from an upstream that answers at once: nothing is left to wait for but
    /// the two processes' own work, so the gateway-minus-direct difference is the latency it adds.
    /// </summary>
    public static Scenario AddedLatency(bool quick) => new(
        "a", "added latency", Concurrency: 1, Chunks: 20, FirstDelay: TimeSpan.Zero, BetweenDelay: TimeSpan.Zero,
        WarmupRequests: quick ? 50 : 300, RequestsPerRound: quick ? 60 : 300, Rounds: quick ? 3 : 5);

    /// <summary>
    /// (b) 64 streams in flight, each paced like a fast model (5 ms to the first token, 5 ms between
    /// tokens, so at least 100 ms per stream): throughput and time to first token under load.
    /// </summary>
    public static Scenario Throughput(bool quick) => new(
        "b", "throughput under load", Concurrency: 64, Chunks: 20, FirstDelay: TimeSpan.FromMilliseconds(5), BetweenDelay: TimeSpan.FromMilliseconds(5),
        WarmupRequests: quick ? 128 : 640, RequestsPerRound: quick ? 192 : 1280, Rounds: quick ? 3 : 5);

    public string Describe() =>
        $"({Key}) {Title}: {Concurrency} stream(s) in flight, {Chunks} chunks, first token after {FirstDelay.TotalMilliseconds:0} ms, " +
        $"{BetweenDelay.TotalMilliseconds:0} ms between; {Rounds} rounds x {RequestsPerRound} requests per target, alternating direct/gateway";
}
