using Polly;
using Polly.Retry;
using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// Whether a request tries again and how long it waits first (step 5 of <see cref="DeploymentRouter"/>):
/// the Polly retry strategy that runs the attempts, the decisions it asks for, and the time budget.
/// </summary>
internal sealed class RetryPlan
{
    private static readonly ResiliencePropertyKey<RouteState> StateKey = new("synaxis.route");

    private static readonly TimeSpan CooldownMargin = TimeSpan.FromMilliseconds(10);

    private readonly RoutingOptions _options;
    private readonly DeploymentSelector _selector;
    private readonly TimeProvider _time;

    public RetryPlan(RoutingOptions options, DeploymentSelector selector, TimeProvider time, Action<string, int, TimeSpan> onRetry)
    {
        _options = options;
        _selector = selector;
        _time = time;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && ShouldTryAgain(StateOf(args.Context))),
                // Null leaves the wait to the exponential backoff above.
                DelayGenerator = args => ValueTask.FromResult(StateOf(args.Context).PlannedWait),
                OnRetry = args =>
                {
                    onRetry(StateOf(args.Context).RequestId, args.AttemptNumber + 2, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        Pipeline = builder.Build();
    }

    /// <summary>Runs the attempts: each one is the callback, run again while <see cref="ShouldTryAgain"/> says so.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>A context for <see cref="Pipeline"/> carrying the request's state; give it back with <see cref="ResilienceContextPool.Return"/>.</summary>
    public static ResilienceContext ContextFor(RouteState state, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        return context;
    }

    /// <summary>The <see cref="TimeProvider"/> timestamp when a request starting now must have found its deployment.</summary>
    public long Deadline() => _time.GetTimestamp() + (long)(_options.TimeBudget.TotalSeconds * _time.TimestampFrequency);

    public TimeSpan Remaining(RouteState state) => _time.GetElapsedTime(_time.GetTimestamp(), state.Deadline);

    /// <summary>Whether another attempt may cure the last failure; if so, the wait before it is left in <see cref="RouteState.PlannedWait"/>.</summary>
    public bool ShouldTryAgain(RouteState state)
    {
        if (!state.FoundNone && (state.LastFailure is null || !FailurePolicy.FallsBack(state.LastFailure)))
        {
            return false;
        }

        if (!_selector.TryGetNextChance(state, _time.GetUtcNow(), out var wait, out _))
        {
            return false;
        }

        // A backoff is at most MaxRetryDelay; a longer Retry-After or break is the client's to wait out, not ours.
        var needed = wait ?? _options.MaxRetryDelay;
        if (wait > _options.MaxRetryDelay || Remaining(state) <= needed)
        {
            return false;
        }

        // Timers may fire a hair before the clock the cooldown is kept in says it is over, and a
        // sub-millisecond delay does not wait at all: a little more makes sure the next pick finds it free.
        state.PlannedWait = wait > TimeSpan.Zero ? wait + CooldownMargin : wait;
        return true;
    }

    /// <summary>What the client is told when no deployment could be called: rate limited, or unavailable, and until when.</summary>
    public UpstreamFailure NoDeploymentFailure(RouteState state)
    {
        _selector.TryGetNextChance(state, _time.GetUtcNow(), out var wait, out var rateLimited);
        TimeSpan? retryAfter = wait is { } w && w > TimeSpan.Zero && w < TimeSpan.MaxValue ? w : null;
        return rateLimited
            ? new UpstreamFailure(UpstreamFailureKind.RateLimited, $"Every deployment of '{state.Model.Name}' is rate limited.") { RetryAfter = retryAfter }
            : new UpstreamFailure(UpstreamFailureKind.Unavailable, $"No deployment of '{state.Model.Name}' can take calls right now.") { RetryAfter = retryAfter };
    }

    private static RouteState StateOf(ResilienceContext context) => context.Properties.GetValue(StateKey, null!);
}
