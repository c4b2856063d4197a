using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Maps an upstream failure to what the client is told. The client learns what kind of failure it was
/// and, for errors its own request caused, the upstream's explanation; never the gateway's credentials,
/// the upstream's address or its account details.
/// </summary>
internal static class UpstreamErrors
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public static ApiError ToApiError(UpstreamFailure failure, string model) => failure.Kind switch
    {
        UpstreamFailureKind.RateLimited => new ApiError(429,
            $"The provider serving '{model}' is rate limited; retry after the time in the Retry-After header.",
            "rate_limit_error", null, failure.Code == "insufficient_quota" ? "insufficient_quota" : "rate_limit_exceeded")
        {
            RetryAfter = failure.RetryAfter ?? DefaultRetryAfter,
        },
        UpstreamFailureKind.AuthenticationFailed when failure.UpstreamStatus is null =>
            new ApiError(500, failure.Message, "server_error", null, failure.Code ?? "upstream_not_configured"),
        UpstreamFailureKind.AuthenticationFailed => new ApiError(502,
            $"The gateway's credentials for the provider serving '{model}' were refused.", "upstream_error", null, "upstream_authentication_failed"),
        UpstreamFailureKind.Rejected => new ApiError(failure.UpstreamStatus ?? 400, failure.Message,
            failure.Type ?? "invalid_request_error", failure.Param, failure.Code),
        UpstreamFailureKind.StreamError => new ApiError(502, failure.Message, failure.Type ?? "upstream_error", failure.Param, failure.Code ?? "upstream_error"),
        // Anthropic's 529 says "overloaded, come back shortly", which OpenAI says with 503.
        UpstreamFailureKind.ServerError when failure.UpstreamStatus == 529 => new ApiError(503,
            $"The provider serving '{model}' is overloaded; retry after the time in the Retry-After header.", "server_error", null, "upstream_overloaded")
        {
            RetryAfter = failure.RetryAfter ?? DefaultRetryAfter,
        },
        UpstreamFailureKind.ConnectFailed => new ApiError(502,
            $"The gateway could not reach the provider serving '{model}'.", "upstream_error", null, "upstream_unreachable"),
        UpstreamFailureKind.TimedOut => new ApiError(504,
            $"The provider serving '{model}' did not answer in time.", "timeout_error", null, "upstream_timeout"),
        UpstreamFailureKind.Reset => new ApiError(502,
            $"The connection to the provider serving '{model}' broke before the answer was complete.", "upstream_error", null, "upstream_reset"),
        UpstreamFailureKind.Unavailable => new ApiError(503,
            $"No deployment of '{model}' can take calls right now; retry after the time in the Retry-After header.", "server_error", null, "upstream_unavailable")
        {
            RetryAfter = failure.RetryAfter ?? DefaultRetryAfter,
        },
        UpstreamFailureKind.ProtocolError => new ApiError(502,
            $"The provider serving '{model}' sent an answer the gateway could not read.", "upstream_error", null, "upstream_protocol_error"),
        _ => new ApiError(502,
            $"The provider serving '{model}' failed{(failure.UpstreamStatus is { } status ? $" with HTTP {status}" : "")}.", "upstream_error", null, "upstream_error"),
    };

    /// <summary>The failure a transport exception or cancellation stands for, judged by which timer fired.</summary>
    public static UpstreamFailure FromException(UpstreamTimer timer, bool beforeFirstChunk) => timer switch
    {
        { TotalTimedOut: true } => new UpstreamFailure(UpstreamFailureKind.TimedOut, "The upstream's answer took longer than the total timeout."),
        { TimedOut: true } => new UpstreamFailure(UpstreamFailureKind.TimedOut,
            beforeFirstChunk ? "The upstream sent nothing before the first-byte timeout." : "The upstream went silent for longer than the idle timeout."),
        _ => new UpstreamFailure(UpstreamFailureKind.Reset, "The connection to the upstream broke."),
    };

    /// <summary>A secret store that could not be read (and knew no earlier value): a failure naming the secret, not a bug.</summary>
    public static UpstreamFailure SecretUnavailable(SecretUnavailableException exception, ModelDeployment deployment) =>
        new(UpstreamFailureKind.AuthenticationFailed,
            $"The secret '{exception.SecretName}' that deployment '{deployment.Name}' needs could not be read from the secret store; try again shortly.")
        {
            Code = "secret_store_unavailable",
        };

    public static bool IsTransportFailure(Exception exception) =>
        exception is OperationCanceledException or HttpRequestException or IOException;
}
