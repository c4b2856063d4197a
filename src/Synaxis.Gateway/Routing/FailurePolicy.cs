using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// What a failure before the first byte means for routing: may another deployment take the call, may
/// the same one be called again, and does it count against the deployment's health.
/// </summary>
internal static class FailurePolicy
{
    // In-stream error types or codes that mean "the server failed", not "your request is wrong":
    // OpenAI's and Anthropic's error types, Gemini's status names.
    private static readonly HashSet<string> ServerSideStreamErrors = new(StringComparer.OrdinalIgnoreCase)
    {
        "server_error", "api_error", "overloaded_error", "rate_limit_error",
        "unavailable", "internal", "resource_exhausted", "deadline_exceeded",
    };

    /// <summary>True when another deployment may still answer the call; false for errors the request itself caused.</summary>
    public static bool FallsBack(UpstreamFailure failure) => failure.Kind switch
    {
        UpstreamFailureKind.ConnectFailed or UpstreamFailureKind.TimedOut or UpstreamFailureKind.RateLimited
            or UpstreamFailureKind.ServerError or UpstreamFailureKind.Reset or UpstreamFailureKind.ProtocolError
            or UpstreamFailureKind.Unavailable => true,
        // The deployment's own key or secret: another deployment has its own.
        UpstreamFailureKind.AuthenticationFailed => true,
        UpstreamFailureKind.StreamError => IsServerSide(failure.Type) || IsServerSide(failure.Code),
        _ => false,
    };

    private static bool IsServerSide(string? type) => type is not null && ServerSideStreamErrors.Contains(type);

    /// <summary>True when calling the same deployment again (after a wait) may succeed.</summary>
    public static bool RetriesSameDeployment(UpstreamFailure failure) =>
        FallsBack(failure) && failure.Kind is not UpstreamFailureKind.AuthenticationFailed;

    /// <summary>
    /// True when the failure says the deployment is unhealthy. A 429 is not: it cools the deployment down
    /// for its <c>Retry-After</c> instead. A missing secret is configuration, not health.
    /// </summary>
    public static bool CountsAgainstHealth(UpstreamFailure failure) =>
        FallsBack(failure)
        && failure.Kind is not (UpstreamFailureKind.RateLimited or UpstreamFailureKind.Unavailable)
        && !(failure.Kind is UpstreamFailureKind.AuthenticationFailed && failure.UpstreamStatus is null);
}
