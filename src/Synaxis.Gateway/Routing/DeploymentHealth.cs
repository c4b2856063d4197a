using Polly;
using Polly.CircuitBreaker;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// What the gateway knows about one deployment's health: its circuit breaker (a Polly pipeline every
/// call to it runs through) and the time until which it cools down after a 429.
/// </summary>
internal sealed class DeploymentHealth
{
    // While a half-open probe is in flight other calls are refused; they look again this much later.
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);

    private long _coolUntilTicks;
    private long _openUntilTicks;
    private int _countedOpen;

    public DeploymentHealth(ModelDeployment deployment) => Deployment = deployment;

    public ModelDeployment Deployment { get; }

    /// <summary>Reads the breaker's state; handed to the breaker when its pipeline is built.</summary>
    public CircuitBreakerStateProvider Circuit { get; } = new();

    /// <summary>Every call to the deployment runs through this pipeline: its circuit breaker.</summary>
    public ResiliencePipeline Breaker { get; set; } = ResiliencePipeline.Empty;

    public CircuitState CircuitState => Circuit.CircuitState;

    /// <summary>Zero when a call may go to the deployment now; otherwise how long until one may, and whether a 429 is the reason.</summary>
    public TimeSpan TimeUntilAvailable(DateTimeOffset now, out bool rateLimited)
    {
        rateLimited = false;
        var wait = TimeSpan.Zero;
        switch (CircuitState)
        {
            case CircuitState.Open:
                wait = Until(_openUntilTicks, now); // past the break, the next call is the probe
                break;
            case CircuitState.HalfOpen:
                wait = ProbeWait;
                break;
            case CircuitState.Isolated:
                wait = TimeSpan.MaxValue;
                break;
        }

        var cooling = Until(_coolUntilTicks, now);
        if (cooling > wait)
        {
            rateLimited = true;
            wait = cooling;
        }

        return wait;
    }

    /// <summary>No call goes to the deployment before <paramref name="until"/> (a 429's <c>Retry-After</c>); an earlier time never shortens it.</summary>
    public void CoolDown(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        var current = Interlocked.Read(ref _coolUntilTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _coolUntilTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Marks the circuit as not closed; 1 the first time (the open-circuits gauge goes up once per outage), else 0.</summary>
    public int MarkOpen() => Interlocked.Exchange(ref _countedOpen, 1) == 0 ? 1 : 0;

    /// <summary>Marks the circuit as closed; -1 when it had been counted open, else 0.</summary>
    public int MarkClosed() => Interlocked.Exchange(ref _countedOpen, 0) == 1 ? -1 : 0;

    /// <summary>The breaker opened; it lets a probe through at <paramref name="until"/>.</summary>
    public void Opened(DateTimeOffset until) => Interlocked.Exchange(ref _openUntilTicks, until.UtcTicks);

    private static TimeSpan Until(long ticks, DateTimeOffset now) =>
        ticks > now.UtcTicks ? TimeSpan.FromTicks(ticks - now.UtcTicks) : TimeSpan.Zero;
}
