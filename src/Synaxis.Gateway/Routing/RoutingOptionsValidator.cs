namespace Synaxis.Gateway.Routing;

/// <summary>Checks <c>Synaxis:Routing</c> against what retries and the circuit breaker can work with.</summary>
internal static class RoutingOptionsValidator
{
    // The circuit breaker's own lower bounds: a shorter window or break cannot measure anything.
    private static readonly TimeSpan ShortestWindow = TimeSpan.FromMilliseconds(500);

    public static void Validate(RoutingOptions routing, List<string> failures)
    {
        const string where = "Synaxis:Routing";
        if (routing.MaxAttempts < 1)
        {
            failures.Add($"{where}:MaxAttempts must be 1 or more.");
        }

        if (routing.RetryDelay < TimeSpan.Zero || routing.MaxRetryDelay < routing.RetryDelay || routing.MaxRetryDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"{where}:RetryDelay must not be negative, and MaxRetryDelay must lie between RetryDelay and one hour.");
        }

        if (routing.TimeBudget <= TimeSpan.Zero)
        {
            failures.Add($"{where}:TimeBudget must be positive.");
        }

        var breaker = routing.CircuitBreaker;
        if (breaker.FailureRatio is <= 0 or > 1)
        {
            failures.Add($"{where}:CircuitBreaker:FailureRatio must be above 0 and at most 1.");
        }

        if (breaker.MinimumThroughput < 2)
        {
            failures.Add($"{where}:CircuitBreaker:MinimumThroughput must be 2 or more.");
        }

        if (breaker.SamplingDuration < ShortestWindow || breaker.BreakDuration < ShortestWindow)
        {
            failures.Add($"{where}:CircuitBreaker:SamplingDuration and BreakDuration must be at least 00:00:00.5.");
        }
    }
}
