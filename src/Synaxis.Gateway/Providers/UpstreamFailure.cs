namespace Synaxis.Gateway.Providers;

/// <summary>Why an upstream call did not produce a complete answer.</summary>
public enum UpstreamFailureKind
{
    /// <summary>No connection could be made (refused, DNS, TLS).</summary>
    ConnectFailed,

    /// <summary>The upstream did not answer in time: before its first byte or between two chunks.</summary>
    TimedOut,

    /// <summary>The upstream answered 429.</summary>
    RateLimited,

    /// <summary>The upstream refused the gateway's own credentials (401/403): a configuration problem.</summary>
    AuthenticationFailed,

    /// <summary>The upstream rejected the request itself (400, 404, 413, 422 …).</summary>
    Rejected,

    /// <summary>The upstream failed (5xx).</summary>
    ServerError,

    /// <summary>The connection broke or the stream ended before the answer was complete.</summary>
    Reset,

    /// <summary>The upstream sent something that is not the protocol it speaks.</summary>
    ProtocolError,

    /// <summary>The upstream reported an error inside an open stream.</summary>
    StreamError,

    /// <summary>No deployment could take the call: each one's circuit is open or it is cooling down after a 429.</summary>
    Unavailable,
}

/// <summary>
/// An upstream failure as a value: what happened, the upstream's status, and the message that is safe
/// to show a client (never a key, never the upstream's URL).
/// </summary>
public sealed record UpstreamFailure(UpstreamFailureKind Kind, string Message)
{
    public int? UpstreamStatus { get; init; }

    /// <summary>The upstream's own error type and code, passed on for errors the client caused.</summary>
    public string? Type { get; init; }

    public string? Code { get; init; }

    public string? Param { get; init; }

    /// <summary>How long the upstream asked us to wait (from <c>Retry-After</c> or its rate-limit headers).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
