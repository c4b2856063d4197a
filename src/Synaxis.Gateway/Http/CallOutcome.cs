using System.Diagnostics;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Gateway.Http;

/// <summary>What one call did: filled in as the request goes, read once at its end (logs now, metering later).</summary>
internal sealed class CallOutcome(string requestId, long startTimestamp)
{
    public string RequestId { get; } = requestId;

    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>The call's span, started with the call and ended by <see cref="CallTelemetry.Complete"/>; null when nobody listens.</summary>
    public Activity? Span { get; } = CallTelemetry.StartSpan(requestId);

    /// <summary>Who called, once the key is checked.</summary>
    public Caller? Caller { get; set; }

    /// <summary>The model name as the client sent it (any text: it goes into spans cut short, never into metric tags).</summary>
    public string? Model { get; set; }

    /// <summary>The catalog's name of the model, once the requested name resolved: the only model name metrics are tagged with.</summary>
    public string? CatalogModel { get; set; }

    /// <summary>The call as the meter admitted it; completed once at the end.</summary>
    public MeteredCall? Metered { get; set; }

    public string? Deployment { get; set; }

    /// <summary>The deployment routing ended on, for its provider and upstream model name.</summary>
    public ModelDeployment? RoutedTo { get; private set; }

    public bool Streamed { get; set; }

    public int Status { get; set; }

    public Usage? Usage { get; set; }

    public UpstreamFailureKind? Failure { get; set; }

    public bool ClientAborted { get; set; }

    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>A deployment's streamed answer reached the client (at least its start).</summary>
    public bool Answered { get; set; }

    /// <summary>Characters of answer text relayed to the client, to bill a stream cut short before the upstream reported usage.</summary>
    public long DeliveredCharacters { get; set; }

    /// <summary>Notes the deployment routing ended on and, when routing failed, why; returns the error to answer with.</summary>
    public ApiError? RecordRoute(ModelDeployment? deployment, UpstreamFailure? failure, string model)
    {
        Deployment = deployment?.Name ?? Deployment;
        RoutedTo = deployment ?? RoutedTo;
        if (failure is null)
        {
            return null;
        }

        Failure = failure.Kind;
        return UpstreamErrors.ToApiError(failure, model);
    }
}
