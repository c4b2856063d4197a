using System.Diagnostics;
using Synaxis.Gateway.Http;

namespace Synaxis.Gateway.Telemetry;

/// <summary>
/// The span and the measurements of one call. The span starts with the call's <see cref="CallOutcome"/> (so upstream
/// requests, retries and log lines of the call are its children) and ends in <see cref="Complete"/>, which the handlers
/// call last in their <c>finally</c>, after metering has priced the call; every per-call metric is recorded there too.
/// </summary>
internal static class CallTelemetry
{
    /// <summary><c>gen_ai.operation.name</c> of <c>/v1/chat/completions</c> and <c>/v1/messages</c>.</summary>
    public const string Chat = "chat";

    /// <summary><c>gen_ai.operation.name</c> of <c>/v1/embeddings</c>.</summary>
    public const string Embeddings = "embeddings";

    private const string SpanName = "synaxis.call";

    // A client-supplied model name is cut to this length before it goes into a span.
    private const int MaxModelLength = 128;

    /// <summary>Starts the call's span, or returns null when nobody listens.</summary>
    public static Activity? StartSpan(string requestId)
    {
        var span = GatewayTelemetry.Source.StartActivity(SpanName, ActivityKind.Internal);
        span?.SetTag(TelemetryTags.RequestId, requestId);
        return span;
    }

    /// <summary>Notes on the call's span how many upstream calls routing made and how many went to another deployment.</summary>
    public static void NoteAttempts(int attempts, int fallbacks)
    {
        // The router runs inside the call, so its span is the current one; anything else (a host's request span) is left alone.
        if (Activity.Current is { IsAllDataRequested: true } span && ReferenceEquals(span.Source, GatewayTelemetry.Source) && span.OperationName == SpanName)
        {
            span.SetTag(TelemetryTags.Attempts, attempts);
            span.SetTag(TelemetryTags.Fallbacks, fallbacks);
        }
    }

    /// <summary>Records how the call ended: the span's attributes and status, then the metrics.</summary>
    public static void Complete(CallOutcome outcome, string operation, TimeSpan duration)
    {
        // Only a catalog name may become a metric tag; a name a client made up (a 404) stays out of the series.
        var model = outcome.CatalogModel;
        var provider = outcome.RoutedTo is { } routed ? TelemetryTags.Provider(routed.Provider) : null;
        var failure = outcome.Failure is { } kind ? GatewayMetrics.FailureName(kind) : null;
        var errorType = failure ?? (outcome.Status >= 400 ? StatusText(outcome.Status) : null);
        var cost = outcome.Metered?.Record?.Cost;
        if (outcome.Span is { } span)
        {
            EndSpan(span, outcome, operation, provider, errorType, cost);
        }

        if (GatewayMetrics.Requests.Enabled || GatewayMetrics.Duration.Enabled)
        {
            var tags = Common(operation, model, outcome.Deployment);
            AddIfKnown(ref tags, TelemetryTags.ProviderName, provider);
            tags.Add(TelemetryTags.StatusClass, TelemetryTags.StatusClassOf(outcome.Status));
            tags.Add(TelemetryTags.Streamed, outcome.Streamed);
            AddIfKnown(ref tags, TelemetryTags.ErrorType, errorType);
            GatewayMetrics.Requests.Add(1, tags);
            GatewayMetrics.Duration.Record(duration.TotalSeconds, tags);
        }

        if (outcome.Usage is { } usage && GatewayMetrics.Tokens.Enabled)
        {
            GatewayMetrics.Tokens.Add(usage.PromptTokens, Tokens(operation, model, outcome.Deployment, "input"));
            GatewayMetrics.Tokens.Add(usage.CompletionTokens, Tokens(operation, model, outcome.Deployment, "output"));
        }

        if (cost is { } spent && spent != 0 && GatewayMetrics.Cost.Enabled)
        {
            GatewayMetrics.Cost.Add((double)spent, Common(operation, model, outcome.Deployment));
        }

        if (outcome.Streamed && outcome.TimeToFirstToken is { } ttft && GatewayMetrics.TimeToFirstToken.Enabled)
        {
            GatewayMetrics.TimeToFirstToken.Record(ttft.TotalSeconds, Common(operation, model, outcome.Deployment));
        }
    }

    private static void EndSpan(Activity span, CallOutcome outcome, string operation, string? provider, string? errorType, decimal? cost)
    {
        var requested = outcome.Model is { Length: > MaxModelLength } tooLong ? tooLong[..MaxModelLength] : outcome.Model;
        span.DisplayName = requested is null ? operation : $"{operation} {requested}";
        if (span.IsAllDataRequested)
        {
            span.SetTag(TelemetryTags.OperationName, operation);
            span.SetTag(TelemetryTags.RequestModel, requested);
            span.SetTag(TelemetryTags.ProviderName, provider);
            span.SetTag(TelemetryTags.ResponseModel, outcome.RoutedTo?.UpstreamModel);
            span.SetTag(TelemetryTags.Deployment, outcome.Deployment);
            span.SetTag(TelemetryTags.KeyId, outcome.Caller?.KeyId);
            span.SetTag(TelemetryTags.StatusCode, outcome.Status);
            span.SetTag(TelemetryTags.Streamed, outcome.Streamed);
            span.SetTag(TelemetryTags.Aborted, outcome.ClientAborted);
            span.SetTag(TelemetryTags.ErrorType, errorType);
            if (outcome.Usage is { } usage)
            {
                span.SetTag(TelemetryTags.InputTokens, usage.PromptTokens);
                span.SetTag(TelemetryTags.OutputTokens, usage.CompletionTokens);
                span.SetTag(TelemetryTags.UsageEstimated, usage.IsEstimated);
            }

            span.SetTag(TelemetryTags.TimeToFirstTokenMs, outcome.TimeToFirstToken?.TotalMilliseconds);
            span.SetTag(TelemetryTags.Cost, cost is { } c ? (double)c : null);
        }

        // 4xx is the client's doing, not the gateway's failure; 5xx and an upstream failure (also one mid-stream, under a 200) are.
        if (outcome.Failure is not null || outcome.Status >= 500)
        {
            span.SetStatus(ActivityStatusCode.Error, errorType);
        }

        span.Stop();
    }

    private static TagList Tokens(string operation, string? model, string? deployment, string type)
    {
        var tags = Common(operation, model, deployment);
        tags.Add(TelemetryTags.TokenType, type);
        return tags;
    }

    // A tag without a value is left out rather than sent as null: exporters differ on what a null becomes.
    private static TagList Common(string operation, string? model, string? deployment)
    {
        var tags = new TagList { { TelemetryTags.OperationName, operation } };
        AddIfKnown(ref tags, TelemetryTags.RequestModel, model);
        AddIfKnown(ref tags, TelemetryTags.Deployment, deployment);
        return tags;
    }

    private static void AddIfKnown(ref TagList tags, string name, string? value)
    {
        if (value is not null)
        {
            tags.Add(name, value);
        }
    }

    // The status as error.type wants it; constants for the common ones, so nothing is formatted per call.
    private static string StatusText(int status) => status switch
    {
        400 => "400",
        401 => "401",
        402 => "402",
        403 => "403",
        404 => "404",
        413 => "413",
        429 => "429",
        499 => "499",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
