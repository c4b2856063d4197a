using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// Finds a deployment that answers a call, before anything has gone to the client. With matching
/// <c>// Step N</c> markers:
/// <list type="number">
/// <item>Pick a deployment (<see cref="DeploymentSelector"/>): available, not tried yet, lowest priority, by weight.</item>
/// <item>Call it through its circuit breaker; its first byte may take its <c>FirstByteTimeout</c>, never past the request's time budget.</item>
/// <item>A 401 on a key from the secret store: refresh the secret once and call the same deployment again.</item>
/// <item>A 429 (or a 503 with <c>Retry-After</c>): cool the deployment down for as long as it asked.</item>
/// <item>A failure another call may cure, with attempts and budget left: wait (not at all when moving to another
/// deployment; backoff with jitter, or the <c>Retry-After</c>, when calling one again) and go to 1.</item>
/// <item>Return the winning attempt, still uncommitted, or the last failure.</item>
/// </list>
/// Polly runs the loop (retry strategy: attempts, waits, cancellation) and the breakers; the decisions are here.
/// </summary>
public sealed partial class DeploymentRouter
{
    private static readonly ResiliencePropertyKey<RouteState> StateKey = new("synaxis.route");

    // A 429 that does not say how long to wait keeps the deployment out of rotation this long.
    private static readonly TimeSpan RateLimitCooldown = TimeSpan.FromSeconds(1);

    private readonly DeploymentHealthBoard _health;
    private readonly DeploymentSelector _selector;
    private readonly ISecretStore _secrets;
    private readonly RoutingOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger<DeploymentRouter> _logger;

    public DeploymentRouter(DeploymentHealthBoard health, ISecretStore secrets, IOptions<GatewayOptions> options, TimeProvider time, ILogger<DeploymentRouter> logger)
        : this(health, secrets, options, time, logger, Random.Shared)
    {
    }

    internal DeploymentRouter(DeploymentHealthBoard health, ISecretStore secrets, IOptions<GatewayOptions> options, TimeProvider time, ILogger<DeploymentRouter> logger, Random random)
    {
        _health = health;
        _selector = new DeploymentSelector(health, random);
        _secrets = secrets;
        _options = options.Value.Routing;
        _time = time;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && ShouldTryAgain(args.Context.Properties.GetValue(StateKey, null!))),
                // Null leaves the wait to the exponential backoff above.
                DelayGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(StateKey, null!).PlannedWait),
                OnRetry = args =>
                {
                    LogRetrying(args.Context.Properties.GetValue(StateKey, null!).RequestId, args.AttemptNumber + 2, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _retry = builder.Build();
    }

    /// <summary>Routes one call; returns the attempt to answer from (the caller disposes it) or why none can.</summary>
    internal async Task<RouteResult<TAttempt>> RouteAsync<TAttempt>(CatalogModel model, string requestId, AttemptCall<TAttempt> call, CancellationToken cancellationToken)
        where TAttempt : Attempt
    {
        var deadline = _time.GetTimestamp() + (long)(_options.TimeBudget.TotalSeconds * _time.TimestampFrequency);
        var state = new RouteState<TAttempt>(model, requestId, deadline, call);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        try
        {
            var outcome = await _retry.ExecuteOutcomeAsync(
                static async (context, route) =>
                {
                    // ExecuteOutcomeAsync wants outcomes, not exceptions (a client that left, or a bug).
                    try
                    {
                        return Outcome.FromResult<TAttempt?>(await route.Router.AttemptAsync(route.State, context.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<TAttempt?>(exception);
                    }
                },
                context,
                (Router: this, State: state)).ConfigureAwait(false);
            outcome.ThrowIfException();
        }
        catch
        {
            if (state.Last is { } last)
            {
                await last.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        // Step 6: the winner, the last failure, or why nothing could be called.
        return state.Last is { } attempt ? new(attempt, attempt.Failure) : new(null, NoDeploymentFailure(state));
    }

    /// <summary>One attempt: a deployment the selector picks, called through its breaker.</summary>
    private async Task<TAttempt?> AttemptAsync<TAttempt>(RouteState<TAttempt> state, CancellationToken cancellationToken)
        where TAttempt : Attempt
    {
        state.Skipped.Clear();
        state.FoundNone = false;
        state.PlannedWait = null;
        while (true)
        {
            // Step 1: pick.
            var deployment = Remaining(state) > TimeSpan.Zero ? _selector.Pick(state, _time.GetUtcNow()) : null;
            if (deployment is null)
            {
                state.FoundNone = true;
                return null;
            }

            // Step 2: call through the breaker.
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                var outcome = await _health[deployment].Breaker.ExecuteOutcomeAsync(
                    static async (context, call) =>
                    {
                        try
                        {
                            return Outcome.FromResult(await call.Router.CallAsync(call.State, call.Deployment, context.CancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception exception)
                        {
                            return Outcome.FromException<TAttempt>(exception);
                        }
                    },
                    context,
                    (Router: this, State: state, Deployment: deployment)).ConfigureAwait(false);
                if (outcome.Exception is BrokenCircuitException)
                {
                    // Its circuit opened since the pick, or another call is probing it: look elsewhere, no attempt spent.
                    state.Skipped.Add(deployment.Name);
                    continue;
                }

                outcome.ThrowIfException();
                return outcome.Result;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    private async Task<TAttempt> CallAsync<TAttempt>(RouteState<TAttempt> state, ModelDeployment deployment, CancellationToken cancellationToken)
        where TAttempt : Attempt
    {
        if (state.Last is { } previous)
        {
            state.Last = null;
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        state.Tried.Add(deployment.Name);
        var attempt = state.Last = await CallOnceAsync(state, deployment, cancellationToken).ConfigureAwait(false);

        // Step 3: a rotated key. The secret is re-read once; a second 401 is the deployment's failure.
        if (attempt.Failure is { Kind: UpstreamFailureKind.AuthenticationFailed, UpstreamStatus: 401 }
            && deployment.ApiKeySecret is { } secret
            && Remaining(state) > TimeSpan.Zero
            && await _secrets.RefreshAsync(secret, cancellationToken).ConfigureAwait(false) is not null)
        {
            LogKeyRefreshed(state.RequestId, deployment.Name, secret);
            state.Last = null;
            await attempt.DisposeAsync().ConfigureAwait(false);
            attempt = state.Last = await CallOnceAsync(state, deployment, cancellationToken).ConfigureAwait(false);
        }

        state.LastFailure = attempt.Failure;
        if (attempt.Failure is { } failure)
        {
            Observe(state, deployment, failure);
        }

        return attempt;
    }

    private Task<TAttempt> CallOnceAsync<TAttempt>(RouteState<TAttempt> state, ModelDeployment deployment, CancellationToken cancellationToken)
        where TAttempt : Attempt
    {
        state.Calls++;
        var firstByte = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(deployment.FirstByteTimeout.Ticks, Remaining(state).Ticks)));
        return state.Call(deployment, firstByte, cancellationToken);
    }

    private void Observe(RouteState state, ModelDeployment deployment, UpstreamFailure failure)
    {
        LogAttemptFailed(state.RequestId, deployment.Name, failure.Kind, failure.UpstreamStatus);

        // Step 4: honour the wait a 429 or 503 asked for, for every request on this instance.
        if (failure.RetryAfter is { } wait || failure.Kind == UpstreamFailureKind.RateLimited)
        {
            _health[deployment].CoolDown(_time.GetUtcNow() + (failure.RetryAfter ?? RateLimitCooldown));
        }

        if (!FailurePolicy.RetriesSameDeployment(failure))
        {
            state.Excluded.Add(deployment.Name);
        }
    }

    /// <summary>Step 5: whether another attempt may cure the last failure, and how long to wait before it.</summary>
    private bool ShouldTryAgain(RouteState state)
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

        state.PlannedWait = wait;
        return true;
    }

    private UpstreamFailure NoDeploymentFailure(RouteState state)
    {
        _selector.TryGetNextChance(state, _time.GetUtcNow(), out var wait, out var rateLimited);
        TimeSpan? retryAfter = wait is { } w && w > TimeSpan.Zero && w < TimeSpan.MaxValue ? w : null;
        LogNoDeployment(state.RequestId, state.Model.Name, rateLimited);
        return rateLimited
            ? new UpstreamFailure(UpstreamFailureKind.RateLimited, $"Every deployment of '{state.Model.Name}' is rate limited.") { RetryAfter = retryAfter }
            : new UpstreamFailure(UpstreamFailureKind.Unavailable, $"No deployment of '{state.Model.Name}' can take calls right now.") { RetryAfter = retryAfter };
    }

    private TimeSpan Remaining(RouteState state) => _time.GetElapsedTime(_time.GetTimestamp(), state.Deadline);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Call {RequestId} to deployment {Deployment} failed before its first byte: {Kind} (upstream status {UpstreamStatus})")]
    private partial void LogAttemptFailed(string requestId, string deployment, UpstreamFailureKind kind, int? upstreamStatus);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Call {RequestId}: attempt {Attempt} starts after {DelayMs} ms")]
    private partial void LogRetrying(string requestId, int attempt, double delayMs);

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "Call {RequestId}: deployment {Deployment} refused its key; secret {Secret} was re-read and the call is repeated once")]
    private partial void LogKeyRefreshed(string requestId, string deployment, string secret);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "Call {RequestId}: no deployment of model {Model} can take it (rate limited: {RateLimited})")]
    private partial void LogNoDeployment(string requestId, string model, bool rateLimited);
}
