using System.Diagnostics;
using System.Diagnostics.Metrics;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Telemetry;

/// <summary>
/// The gateway's instruments on <see cref="GatewayTelemetry.Meter"/>. Each recording builds its tags only when someone
/// listens to that instrument. Model tags are catalog names only (never a name a client made up), so the series stay few.
/// </summary>
internal static class GatewayMetrics
{
    // Seconds; LLM latencies run from tens of milliseconds (a cached answer) to minutes (a long stream).
    private static readonly double[] LatencyBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256];

    public static readonly Counter<long> Requests = GatewayTelemetry.Meter.CreateCounter<long>(
        "synaxis.gateway.requests", "{request}", "Calls served, by operation, model, deployment and status class.");

    public static readonly Histogram<double> Duration = GatewayTelemetry.Meter.CreateHistogram<double>(
        "synaxis.gateway.request.duration", "s", "Time from a call's arrival to its last byte.", tags: null, advice: new() { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Counter<long> Tokens = GatewayTelemetry.Meter.CreateCounter<long>(
        "synaxis.gateway.tokens", "{token}", "Tokens used, by gen_ai.token.type (input or output).");

    public static readonly Counter<double> Cost = GatewayTelemetry.Meter.CreateCounter<double>(
        "synaxis.gateway.cost", "{USD}", "What calls cost at the catalog's prices (metered calls only).");

    public static readonly Histogram<double> TimeToFirstToken = GatewayTelemetry.Meter.CreateHistogram<double>(
        "synaxis.gateway.time_to_first_token", "s", "Time from a streamed call's arrival to its first content chunk sent.",
        tags: null, advice: new() { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Histogram<double> UpstreamDuration = GatewayTelemetry.Meter.CreateHistogram<double>(
        "synaxis.gateway.upstream.duration", "s", "One attempt on a deployment: until its first byte (streams) or its whole answer.",
        tags: null, advice: new() { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Counter<long> Retries = GatewayTelemetry.Meter.CreateCounter<long>(
        "synaxis.gateway.retries", "{attempt}", "Attempts beyond a call's first: on another deployment (fallback), the same one (retry), or after a key was re-read (key_refresh).");

    public static readonly Counter<long> CircuitTransitions = GatewayTelemetry.Meter.CreateCounter<long>(
        "synaxis.gateway.circuit.transitions", "{transition}", "Circuit breaker state changes, by deployment and the state entered.");

    public static readonly UpDownCounter<long> OpenCircuits = GatewayTelemetry.Meter.CreateUpDownCounter<long>(
        "synaxis.gateway.circuit.open", "{circuit}", "Deployments whose circuit is open or half-open on this instance.");

    /// <summary>One attempt on a deployment ended, answered (<c>ok</c>) or failed with <paramref name="failure"/>.</summary>
    public static void RecordAttempt(ModelDeployment deployment, UpstreamFailure? failure, TimeSpan elapsed)
    {
        if (!UpstreamDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { TelemetryTags.Deployment, deployment.Name },
            { TelemetryTags.ProviderName, TelemetryTags.Provider(deployment.Provider) },
            { TelemetryTags.AttemptOutcome, failure is null ? "ok" : FailureName(failure.Kind) },
        };
        UpstreamDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>A call makes another attempt: <c>fallback</c>, <c>retry</c> or <c>key_refresh</c>.</summary>
    public static void RecordRetry(string model, ModelDeployment deployment, string kind)
    {
        if (Retries.Enabled)
        {
            Retries.Add(1, new TagList
            {
                { TelemetryTags.RequestModel, model },
                { TelemetryTags.Deployment, deployment.Name },
                { TelemetryTags.RetryKind, kind },
            });
        }
    }

    /// <summary>A deployment's circuit entered <paramref name="state"/> (<c>open</c>, <c>half_open</c>, <c>closed</c>).</summary>
    public static void RecordCircuit(string deployment, string state, int openDelta)
    {
        var tag = new KeyValuePair<string, object?>(TelemetryTags.Deployment, deployment);
        if (CircuitTransitions.Enabled)
        {
            CircuitTransitions.Add(1, tag, new KeyValuePair<string, object?>(TelemetryTags.CircuitState, state));
        }

        if (openDelta != 0)
        {
            OpenCircuits.Add(openDelta, tag);
        }
    }

    /// <summary>snake_case failure names, as <c>error.type</c> values are written; constants, so the hot path allocates none.</summary>
    public static string FailureName(UpstreamFailureKind kind) => kind switch
    {
        UpstreamFailureKind.ConnectFailed => "connect_failed",
        UpstreamFailureKind.TimedOut => "timed_out",
        UpstreamFailureKind.RateLimited => "rate_limited",
        UpstreamFailureKind.AuthenticationFailed => "authentication_failed",
        UpstreamFailureKind.Rejected => "rejected",
        UpstreamFailureKind.ServerError => "server_error",
        UpstreamFailureKind.Reset => "reset",
        UpstreamFailureKind.ProtocolError => "protocol_error",
        UpstreamFailureKind.StreamError => "stream_error",
        UpstreamFailureKind.Unavailable => "unavailable",
        _ => "other",
    };
}
