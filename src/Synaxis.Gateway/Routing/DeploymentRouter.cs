using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// Finds a deployment that answers a call, before anything has gone to the client. With matching
/// <c>// Step N</c> markers:
/// <list type="number">
/// <item>Pick a deployment (<see cref="DeploymentSelector"/>): available, not tried yet, lowest priority, by weight.</item>
/// <item>Call it through its circuit breaker; its first byte may take its <c>FirstByteTimeout</c>, never past the request's time budget.</item>
/// <item>A 401 on a key from the secret store: re-read the secret once and, if it changed, call the same deployment again.</item>
/// <item>A 429 (or a 503 with <c>Retry-After</c>): cool the deployment down for as long as it asked.</item>
/// <item>A failure another call may cure, with attempts and budget left: wait (not at all when moving to another
/// deployment; backoff with jitter, or the <c>Retry-After</c>, when calling one again) and go to 1.</item>
/// <item>Return the winning attempt, still uncommitted, or the last failure.</item>
/// </list>
/// Polly runs the loop (<see cref="RetryPlan"/>: attempts, waits, cancellation) and the breakers; the decisions are the gateway's.
/// </summary>
public sealed partial class DeploymentRouter
{
    // A 429 that does not say how long to wait keeps the deployment out of rotation this long.
    private static readonly TimeSpan RateLimitCooldown = TimeSpan.FromSeconds(1);

    private readonly DeploymentHealthBoard _health;
    private readonly DeploymentSelector _selector;
    private readonly RetryPlan _plan;
    private readonly KeyRefresh _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<DeploymentRouter> _logger;

    public DeploymentRouter(DeploymentHealthBoard health, ISecretStore secrets, IOptions<GatewayOptions> options, TimeProvider time, ILogger<DeploymentRouter> logger)
        : this(health, secrets, options, time, logger, Random.Shared)
    {
    }

    internal DeploymentRouter(DeploymentHealthBoard health, ISecretStore secrets, IOptions<GatewayOptions> options, TimeProvider time, ILogger<DeploymentRouter> logger, Random random)
    {
        _health = health;
        _selector = new DeploymentSelector(health, random);
        _plan = new RetryPlan(options.Value.Routing, _selector, time, (requestId, attempt, delay) => LogRetrying(requestId, attempt, delay.TotalMilliseconds));
        _keys = new KeyRefresh(secrets, logger);
        _time = time;
        _logger = logger;
    }

    /// <summary>Routes one call; returns the attempt to answer from (the caller disposes it) or why none can.</summary>
    internal async Task<RouteResult<TAttempt>> RouteAsync<TAttempt>(CatalogModel model, string requestId, AttemptCall<TAttempt> call, CancellationToken cancellationToken)
        where TAttempt : Attempt
    {
        var state = new RouteState<TAttempt>(model, requestId, _plan.Deadline(), call);
        var context = RetryPlan.ContextFor(state, cancellationToken);
        try
        {
            var outcome = await _plan.Pipeline.ExecuteOutcomeAsync(
                static (context, route) => OutcomeOf(route.Router.AttemptAsync(route.State, context.CancellationToken)),
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
        CallTelemetry.NoteAttempts(state.Attempts, state.Fallbacks);
        if (state.Last is { } attempt)
        {
            return new(attempt, attempt.Failure);
        }

        var none = _plan.NoDeploymentFailure(state);
        LogNoDeployment(requestId, model.Name, none.Kind);
        return new(null, none);
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
            var deployment = _plan.Remaining(state) > TimeSpan.Zero ? _selector.Pick(state, _time.GetUtcNow()) : null;
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
                    static (context, call) => OutcomeOf(call.Router.CallAsync(call.State, call.Deployment, context.CancellationToken)),
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

        if (state.Attempts > 0)
        {
            var fallback = !state.Tried.Contains(deployment.Name);
            state.Fallbacks += fallback ? 1 : 0;
            GatewayMetrics.RecordRetry(state.Model.Name, deployment, fallback ? "fallback" : "retry");
        }

        state.Tried.Add(deployment.Name);
        var used = await _keys.BeforeCallAsync(deployment, cancellationToken).ConfigureAwait(false);
        var attempt = state.Last = await CallOnceAsync(state, deployment, cancellationToken).ConfigureAwait(false);

        // Step 3: a rotated key. If the refused key's secret now holds another value, the same deployment is called once more.
        if (_plan.Remaining(state) > TimeSpan.Zero
            && await _keys.HasNewKeyAsync(state.RequestId, deployment, attempt.Failure, used, cancellationToken).ConfigureAwait(false))
        {
            state.Last = null;
            await attempt.DisposeAsync().ConfigureAwait(false);
            GatewayMetrics.RecordRetry(state.Model.Name, deployment, "key_refresh");
            attempt = state.Last = await CallOnceAsync(state, deployment, cancellationToken).ConfigureAwait(false);
        }

        state.LastFailure = attempt.Failure;
        if (attempt.Failure is { } failure)
        {
            Observe(state, deployment, failure);
        }

        return attempt;
    }

    private async Task<TAttempt> CallOnceAsync<TAttempt>(RouteState<TAttempt> state, ModelDeployment deployment, CancellationToken cancellationToken)
        where TAttempt : Attempt
    {
        var firstByte = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(deployment.FirstByteTimeout.Ticks, _plan.Remaining(state).Ticks)));
        state.Attempts++;
        var started = _time.GetTimestamp();
        var attempt = await state.Call(deployment, firstByte, cancellationToken).ConfigureAwait(false);
        GatewayMetrics.RecordAttempt(deployment, attempt.Failure, _time.GetElapsedTime(started));
        return attempt;
    }

    private void Observe(RouteState state, ModelDeployment deployment, UpstreamFailure failure)
    {
        LogAttemptFailed(state.RequestId, deployment.Name, failure.Kind, failure.UpstreamStatus);

        // Step 4: honour the wait a 429 or 503 asked for, for every request on this instance.
        if (failure.RetryAfter is not null || failure.Kind == UpstreamFailureKind.RateLimited)
        {
            _health[deployment].CoolDown(_time.GetUtcNow() + (failure.RetryAfter ?? RateLimitCooldown));
        }

        if (!FailurePolicy.RetriesSameDeployment(failure))
        {
            state.Excluded.Add(deployment.Name);
        }
    }

    // ExecuteOutcomeAsync wants outcomes, not exceptions (a client that left, or a bug).
    private static async ValueTask<Outcome<T>> OutcomeOf<T>(Task<T> task)
    {
        try
        {
            return Outcome.FromResult(await task.ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            return Outcome.FromException<T>(exception);
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Call {RequestId} to deployment {Deployment} failed before its first byte: {Kind} (upstream status {UpstreamStatus})")]
    private partial void LogAttemptFailed(string requestId, string deployment, UpstreamFailureKind kind, int? upstreamStatus);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Call {RequestId}: attempt {Attempt} starts after {DelayMs} ms")]
    private partial void LogRetrying(string requestId, int attempt, double delayMs);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "Call {RequestId}: no deployment of model {Model} can take it ({Kind})")]
    private partial void LogNoDeployment(string requestId, string model, UpstreamFailureKind kind);
}
