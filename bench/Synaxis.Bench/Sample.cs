namespace Synaxis.Bench;

/// <summary>
/// One streamed request as the client saw it, in milliseconds from just before sending: response
/// headers, first content token, end of stream. A failed request carries only why it failed.
/// </summary>
internal readonly record struct Sample(double HeadersMs, double FirstTokenMs, double TotalMs, string? Failure)
{
    public bool Succeeded => Failure is null;

    public static Sample Ok(TimeSpan headers, TimeSpan firstToken, TimeSpan total) =>
        new(headers.TotalMilliseconds, firstToken.TotalMilliseconds, total.TotalMilliseconds, null);

    public static Sample Failed(string reason) => new(0, 0, 0, reason);
}
