using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>The handlers' side of metering: admit a call before routing it (writing the rate-limit headers), complete it at the end.</summary>
internal static class CallMetering
{
    /// <summary>Null when the call may go on (its <see cref="MeteredCall"/> kept in <paramref name="outcome"/>); otherwise the refusal.</summary>
    public static async ValueTask<ApiError?> AdmitAsync(
        CallMeter meter, HttpResponse response, CallOutcome outcome, CatalogModel model, int promptTokens, int? maxCompletionTokens, CancellationToken cancellationToken)
    {
        outcome.CatalogModel = model.Name;
        Admission admission;
        try
        {
            admission = await meter.AdmitAsync(
                new CallRequest(outcome.RequestId, outcome.Caller ?? Caller.Anonymous, model, outcome.Streamed, promptTokens, maxCompletionTokens),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (StorageFailure.Is(failure))
        {
            return ApiError.BillingUnavailable();
        }

        RateLimitHeaders.Write(response, admission.Limits);
        outcome.Metered = admission.Call;
        return admission.Error;
    }

    /// <summary>
    /// Waits until the call's pending usage record is stored, so that no answer goes out unrecorded; the 503 to answer
    /// with when it could not be stored. Handlers call it just before the first byte of an answer.
    /// </summary>
    public static async ValueTask<ApiError?> WaitRecordedAsync(CallOutcome outcome) =>
        outcome.Metered is { } call && !await call.WaitRecordedAsync().ConfigureAwait(false) ? ApiError.BillingUnavailable() : null;

    /// <summary>
    /// The step between routing and a whole (not streamed) answer: names the deployment in the response, notes the route,
    /// and waits for the pending usage record; the error to answer with when routing failed or the record could not be stored.
    /// </summary>
    public static async ValueTask<ApiError?> ConfirmWholeAnswerAsync(
        CallOutcome outcome, HttpResponse response, ModelDeployment? deployment, UpstreamFailure? failure, string model)
    {
        DeploymentHeader.Set(response, deployment);
        return outcome.RecordRoute(deployment, failure, model) ?? await WaitRecordedAsync(outcome).ConfigureAwait(false);
    }

    /// <summary>Settles the call's metering with how it ended; a storage failure here is the meter's to log, never the client's.</summary>
    public static async ValueTask CompleteAsync(CallOutcome outcome, TimeSpan duration)
    {
        if (outcome.Metered is not { } call)
        {
            return;
        }

        // A stream cut short (the client left, the upstream broke) before the upstream reported usage is billed for the
        // prompt and the text the client received.
        var usage = outcome.Usage
            ?? (outcome.Answered ? TokenEstimator.Estimate(call.Request.PromptTokens, outcome.DeliveredCharacters) : null);
        await call.CompleteAsync(new CallSummary(outcome.Deployment, usage, outcome.Status, outcome.ClientAborted, outcome.TimeToFirstToken, duration))
            .ConfigureAwait(false);
    }
}
