using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>
/// Meters every call, for every endpoint. Before routing: check that the key may call the model (403), take a
/// rate-limit slot (429), reserve the call's largest possible cost (402), and write its pending usage record. After
/// the call: price it from the deployment that served it, write the settled record, settle the reservation and the
/// token count. The parts (<see cref="IRateLimiter"/>, <see cref="IBudget"/>, <see cref="IUsageLedger"/>) are the
/// ones registered, used only when billing storage is configured; without it the meter admits every call (still
/// refusing models a key may not call) without recording it.
/// </summary>
public sealed partial class CallMeter
{
    private readonly IRateLimiter? _limiter;
    private readonly IBudget? _budget;
    private readonly IUsageLedger? _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger<CallMeter> _logger;
    private readonly int _defaultMaxCompletionTokens;

    public CallMeter(IServiceProvider services, IOptions<GatewayOptions> options, TimeProvider time, ILogger<CallMeter> logger)
    {
        // Registered implementations need billing storage; without it they are not asked for.
        if (options.Value.Billing.IsConfigured)
        {
            _limiter = services.GetService<IRateLimiter>();
            _budget = services.GetService<IBudget>();
            _ledger = services.GetService<IUsageLedger>();
        }

        _time = time;
        _logger = logger;
        _defaultMaxCompletionTokens = options.Value.Billing.DefaultMaxCompletionTokens;
    }

    /// <summary>The name usage records carry to say which instance served a call.</summary>
    public static string InstanceName { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Admits or refuses a call, before it is routed.</summary>
    public async ValueTask<Admission> AdmitAsync(CallRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller;
        if (caller.Key is { } key && !key.Allows(request.Model.Name))
        {
            return new Admission(null, ApiError.ModelNotAllowed(request.Model.Name), RateLimitDecision.Unlimited);
        }

        var maxCompletion = request.MaxCompletionTokens ?? request.Model.Deployments.Max(d => d.MaxOutputTokens) ?? _defaultMaxCompletionTokens;
        var limits = caller.IsIssued && _limiter is not null
            ? await _limiter.AcquireAsync(caller, request.PromptTokens + maxCompletion, cancellationToken).ConfigureAwait(false)
            : RateLimitDecision.Unlimited;
        if (!limits.Admitted)
        {
            var window = limits.Exhausted == "tokens" ? limits.Tokens : limits.Requests;
            return new Admission(null, ApiError.RateLimited(limits.Exhausted ?? "requests", window?.Limit ?? 0, limits.RetryAfter), limits);
        }

        var reservation = caller.IsIssued && _budget is not null
            ? await _budget.ReserveAsync(caller, request.RequestId, Pricing.MaxCost(request.Model, request.PromptTokens, maxCompletion), cancellationToken).ConfigureAwait(false)
            : BudgetReservation.Unlimited;
        if (!reservation.Admitted)
        {
            _limiter?.Settle(caller, limits, 0);
            return new Admission(null, ApiError.InsufficientQuota(reservation.Reason), limits);
        }

        var call = new MeteredCall(this, request, _time.GetUtcNow(), limits, reservation);
        if (_ledger is not null)
        {
            // Written while the call is routed: a storage round trip off the time to first token, since the upstream's
            // first byte takes longer; the handlers wait for it before sending any byte of the answer.
            call.Recorded = RecordAsync(call);
        }

        return new Admission(call, null, limits);
    }

    private async Task RecordAsync(MeteredCall call)
    {
        var caller = call.Request.Caller;
        try
        {
            // Not cancelled with the client: once asked for, the row may land and must then be settled.
            await _ledger!.BeginAsync(Pending(call), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Not admitted after all: give back what was taken for it.
            LogPendingFailed(call.Request.RequestId, exception.GetType().Name);
            _limiter?.Settle(caller, call.Limits, 0);
            if (_budget is not null && caller.IsIssued)
            {
                await _budget.SettleAsync(caller, call.Reservation, 0m).ConfigureAwait(false);
            }

            throw;
        }
    }

    internal async ValueTask<UsageRecord> SettleAsync(MeteredCall call, CallSummary summary)
    {
        var request = call.Request;
        var deployment = request.Model.Deployments.FirstOrDefault(d => d.Name == summary.Deployment);
        var usage = summary.Usage;
        var cost = deployment is not null && usage is not null ? Pricing.Cost(deployment, usage) : 0m;
        var record = Pending(call) with
        {
            State = UsageState.Settled,
            Deployment = summary.Deployment,
            PromptTokens = usage?.PromptTokens ?? 0,
            CompletionTokens = usage?.CompletionTokens ?? 0,
            CachedTokens = usage?.PromptTokensDetails?.CachedTokens ?? 0,
            UsageEstimated = usage?.IsEstimated ?? false,
            Cost = cost,
            Status = summary.Status,
            Aborted = summary.Aborted,
            TimeToFirstTokenMs = summary.TimeToFirstToken?.TotalMilliseconds,
            DurationMs = summary.Duration.TotalMilliseconds,
        };

        _limiter?.Settle(request.Caller, call.Limits, record.PromptTokens + record.CompletionTokens);
        if (_budget is not null && request.Caller.IsIssued)
        {
            await _budget.SettleAsync(request.Caller, call.Reservation, cost).ConfigureAwait(false);
        }

        if (_ledger is not null)
        {
            await _ledger.CompleteAsync(record).ConfigureAwait(false);
        }

        LogSettled(request.RequestId, request.Caller.KeyId, cost);
        return record;
    }

    private static UsageRecord Pending(MeteredCall call) => new()
    {
        RequestId = call.Request.RequestId,
        KeyId = call.Request.Caller.KeyId,
        Model = call.Request.Model.Name,
        StartedAt = call.StartedAt,
        State = UsageState.Pending,
        PromptTokens = call.Request.PromptTokens,
        Streamed = call.Request.Streamed,
        Instance = InstanceName,
    };

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Call {RequestId}: its pending usage record could not be stored ({Error}); it is refused with 503")]
    private partial void LogPendingFailed(string requestId, string error);

    [LoggerMessage(EventId = 610, Level = LogLevel.Debug, Message = "Call {RequestId} metered for {KeyId}: cost {Cost}")]
    private partial void LogSettled(string requestId, string keyId, decimal cost);
}
