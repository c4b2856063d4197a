using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// The health of every deployment in the catalog, built once: per deployment a Polly circuit breaker
/// (on the gateway's <see cref="TimeProvider"/>) and a 429 cooldown. Health is per instance: each
/// instance learns on its own, within a few calls, that a deployment fails.
/// </summary>
public sealed partial class DeploymentHealthBoard
{
    private readonly Dictionary<string, DeploymentHealth> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly ILogger<DeploymentHealthBoard> _logger;

    public DeploymentHealthBoard(ModelCatalog catalog, IOptions<GatewayOptions> options, TimeProvider time, ILogger<DeploymentHealthBoard> logger)
    {
        _time = time;
        _logger = logger;
        var breaker = options.Value.Routing.CircuitBreaker;
        foreach (var deployment in catalog.Deployments)
        {
            var health = new DeploymentHealth(deployment);
            health.Breaker = new ResiliencePipelineBuilder { TimeProvider = time }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = breaker.FailureRatio,
                    MinimumThroughput = breaker.MinimumThroughput,
                    SamplingDuration = breaker.SamplingDuration,
                    BreakDuration = breaker.BreakDuration,
                    StateProvider = health.Circuit,
                    // Exceptions are bugs or the client leaving, never the deployment's fault; its failures are values.
                    ShouldHandle = static args => ValueTask.FromResult(
                        args.Outcome.Result is Attempt { Failure: { } failure } && FailurePolicy.CountsAgainstHealth(failure)),
                    OnOpened = args =>
                    {
                        health.Opened(_time.GetUtcNow() + args.BreakDuration);
                        LogCircuitOpened(deployment.Name, args.BreakDuration.TotalSeconds);
                        GatewayMetrics.RecordCircuit(deployment.Name, "open", health.MarkOpen());
                        return ValueTask.CompletedTask;
                    },
                    OnHalfOpened = _ =>
                    {
                        LogCircuitHalfOpened(deployment.Name);
                        GatewayMetrics.RecordCircuit(deployment.Name, "half_open", 0);
                        return ValueTask.CompletedTask;
                    },
                    OnClosed = _ =>
                    {
                        LogCircuitClosed(deployment.Name);
                        GatewayMetrics.RecordCircuit(deployment.Name, "closed", health.MarkClosed());
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
            _byName[deployment.Name] = health;
        }
    }

    internal DeploymentHealth this[ModelDeployment deployment] => _byName[deployment.Name];

    /// <summary>The deployment's circuit state, for diagnostics.</summary>
    public CircuitState CircuitOf(string deployment) => _byName[deployment].CircuitState;

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "Circuit of deployment {Deployment} opened: no calls for {BreakSeconds} s")]
    private partial void LogCircuitOpened(string deployment, double breakSeconds);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Circuit of deployment {Deployment} half-open: the next call probes it")]
    private partial void LogCircuitHalfOpened(string deployment);

    [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "Circuit of deployment {Deployment} closed: it takes calls again")]
    private partial void LogCircuitClosed(string deployment);
}
