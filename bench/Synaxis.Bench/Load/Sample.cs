namespace Synaxis.Bench.Load;

/// <summary>
/// One request as the client saw it, in milliseconds from just before sending: response headers, first
/// content token (for a non-streamed answer: the whole answer), end. A failed request carries only why
/// it failed. <see cref="AbortTimestamp"/> is when the client hung up, for requests that were meant to;
/// <see cref="EndTimestamp"/> when the request was over (both <see cref="System.Diagnostics.Stopwatch"/> ticks).
/// </summary>
internal readonly record struct Sample(double HeadersMs, double FirstTokenMs, double TotalMs, string? Failure, long AbortTimestamp = 0)
{
    public long EndTimestamp { get; init; }

    public bool Succeeded => Failure is null;

    public static Sample Ok(TimeSpan headers, TimeSpan firstToken, TimeSpan total) =>
        new(headers.TotalMilliseconds, firstToken.TotalMilliseconds, total.TotalMilliseconds, null);

    public static Sample Aborted(TimeSpan headers, TimeSpan firstToken, long abortTimestamp) =>
        new(headers.TotalMilliseconds, firstToken.TotalMilliseconds, firstToken.TotalMilliseconds, null, abortTimestamp);

    public static Sample Failed(string reason) => new(0, 0, 0, reason);
}
