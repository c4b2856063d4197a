namespace Synaxis.Gateway.Routing;

/// <summary>How a call retries and falls back across a model's deployments (<c>Synaxis:Routing</c>).</summary>
public sealed class RoutingOptions
{
    /// <summary>Most upstream calls one request may make, over all its deployments (a retry after a refreshed key is extra).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First wait before calling a deployment again; it doubles per retry, with jitter. Moving on to another deployment does not wait.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts: caps the backoff, and a <c>Retry-After</c> longer than this is not waited out.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one request may spend on attempts, backoff and fallback before its first byte reaches the
    /// client. Under Azure's 230 s front-end limit for a response that has not started.
    /// </summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(3);

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();
}
