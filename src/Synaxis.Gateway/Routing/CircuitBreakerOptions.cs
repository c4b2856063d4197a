namespace Synaxis.Gateway.Routing;

/// <summary>
/// When a deployment's circuit opens (<c>Synaxis:Routing:CircuitBreaker</c>): once at least
/// <see cref="MinimumThroughput"/> calls in <see cref="SamplingDuration"/> failed at a ratio of
/// <see cref="FailureRatio"/> or more, the deployment gets no calls for <see cref="BreakDuration"/>; then
/// one call probes it, and its outcome closes or reopens the circuit.
/// </summary>
public sealed class CircuitBreakerOptions
{
    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
