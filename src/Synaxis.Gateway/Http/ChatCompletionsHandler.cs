using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Serves <c>POST /v1/chat/completions</c> for every host, and <c>POST /v1/messages</c> through
/// <see cref="Messages.MessagesHandler"/>: the endpoint's <see cref="ChatDialect"/> reads the request and
/// writes the answer, the steps between are the same. The algorithm, with matching <c>// Step N</c> markers:
/// <list type="number">
/// <item>Authenticate the bearer key (401).</item>
/// <item>Read the body, never past the size limit (413).</item>
/// <item>Parse and validate the request, naming the bad field (400).</item>
/// <item>Resolve the public model name to its catalog entry (404).</item>
/// <item>Admit the call under the key's model list, rate limits, budget and credit (403, 429, 402; <see cref="CallMeter"/>).</item>
/// <item>Route the call to a deployment (<see cref="DeploymentRouter"/>: choice, retry, fallback, circuit breaking) and answer:
/// a stream is relayed event by event (<see cref="StreamRelay"/>), an answer is returned whole.</item>
/// <item>Record the outcome: status, usage, time to first token, duration; the meter prices it and settles its usage record.</item>
/// </list>
/// </summary>
public sealed partial class ChatCompletionsHandler(
    RequestAuthenticator authenticator,
    ModelCatalog catalog,
    DeploymentRouter router,
    ProviderRegistry providers,
    StreamRelay relay,
    CallMeter meter,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ChatCompletionsHandler> logger)
{
    private readonly GatewayOptions _options = options.Value;

    /// <param name="context">The request and response.</param>
    /// <param name="cancellationToken">Fires when the client is gone; hosts pass <c>RequestAborted</c> (linked with their own token).</param>
    public Task HandleAsync(HttpContext context, CancellationToken cancellationToken) => HandleAsync(context, ChatDialect.OpenAI, cancellationToken);

    internal async Task HandleAsync(HttpContext context, ChatDialect dialect, CancellationToken cancellationToken)
    {
        var outcome = new CallOutcome(RequestIds.Assign(context), time.GetTimestamp());
        try
        {
            var error = await ServeAsync(context, dialect, outcome, cancellationToken).ConfigureAwait(false);
            if (error is not null && !context.Response.HasStarted)
            {
                await dialect.WriteErrorAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
            }

            outcome.Status = error?.Status ?? context.Response.StatusCode;
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && UpstreamErrors.IsTransportFailure(exception))
        {
            outcome.ClientAborted = true;
        }
#pragma warning disable CA1031 // the last line of defence: a bug must still end in an OpenAI-shaped answer, not a bare 500
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogUnexpectedFailure(outcome.RequestId, exception);
            outcome.Status = StatusCodes.Status500InternalServerError;
            await AnswerUnexpectedFailureAsync(context, dialect, outcome.RequestId).ConfigureAwait(false);
        }
        finally
        {
            // Step 7: record the outcome.
            outcome.ClientAborted |= cancellationToken.IsCancellationRequested;
            if (outcome.Status == 0)
            {
                // 499: nginx's code for "client closed the request" when nothing could be sent.
                outcome.Status = context.Response.HasStarted ? context.Response.StatusCode : 499;
            }

            // One duration for the log line, the usage record and the span.
            var duration = time.GetElapsedTime(outcome.StartTimestamp);
            LogOutcome(outcome, duration);
            await CallMetering.CompleteAsync(outcome, duration).ConfigureAwait(false);
            CallTelemetry.Complete(outcome, CallTelemetry.Chat, duration);
        }
    }

    private async Task<ApiError?> ServeAsync(HttpContext context, ChatDialect dialect, CallOutcome outcome, CancellationToken cancellationToken)
    {
        // Step 1: authenticate.
        var authentication = await authenticator.AuthenticateAsync(context.Request, dialect.AcceptsApiKeyHeader, cancellationToken).ConfigureAwait(false);
        if (authentication.Error is { } unauthorized)
        {
            return unauthorized;
        }

        outcome.Caller = authentication.Caller;

        // Step 2: read the body within the limit.
        var (body, tooLarge) = await RequestBodyReader.ReadAsync(context.Request, _options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        // Step 3: parse and validate.
        var invalid = dialect.ReadRequest(body, out var request);
        context.Request.BodyReader.AdvanceTo(body.End);
        if (invalid is not null)
        {
            return invalid;
        }

        // Step 4: resolve the model.
        outcome.Model = request!.Model;
        outcome.Streamed = request.IsStreaming;
        if (!catalog.TryResolve(request.Model!, out var model))
        {
            return ApiError.ModelNotFound(request.Model!);
        }

        // Step 5: admit the call under the key's limits, budget and credit (403, 429, 402).
        if (await CallMetering.AdmitAsync(meter, context.Response, outcome, model, TokenEstimator.ForPrompt(request),
                request.MaxCompletionTokens ?? request.MaxTokens, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        // Step 6: route to a deployment and answer.
        return request.IsStreaming
            ? await relay.RelayAsync(context, model, request, dialect.CreateStreamWriter(request), outcome, cancellationToken).ConfigureAwait(false)
            : await CompleteAsync(context, model, request, dialect, outcome, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiError?> CompleteAsync(HttpContext context, CatalogModel model, ChatCompletionRequest request, ChatDialect dialect, CallOutcome outcome, CancellationToken cancellationToken)
    {
        var routed = await router.RouteAsync<CompletionAttempt>(model, outcome.RequestId,
            (deployment, firstByte, token) => CompletionAttempt.RunAsync(providers.Get(deployment.Provider), new ProviderCall(request, deployment, outcome.RequestId), time, firstByte, token),
            cancellationToken).ConfigureAwait(false);
        await using var attempt = routed.Attempt;
        if (await CallMetering.ConfirmWholeAnswerAsync(outcome, context.Response, attempt?.Deployment, routed.Failure, model.Name).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        var result = attempt!.Result;
        outcome.Usage = result.Usage;
        outcome.TimeToFirstToken = time.GetElapsedTime(outcome.StartTimestamp);
        context.Response.StatusCode = StatusCodes.Status200OK;
        await dialect.WriteCompletionAsync(context.Response, result.Json, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static async Task AnswerUnexpectedFailureAsync(HttpContext context, ChatDialect dialect, string requestId)
    {
        var error = new ApiError(500, $"The gateway failed unexpectedly while serving request {requestId}.", "server_error", null, "internal_error");
        try
        {
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.Clear();
                context.Response.Headers[RequestIds.HeaderName] = requestId;
                await dialect.WriteErrorAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            }
            else if (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
            {
                await dialect.WriteStreamErrorAsync(context.Response.BodyWriter, error, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                context.Abort(); // half a JSON body cannot be mended; a reset tells the client it is incomplete
            }
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) || exception is InvalidOperationException)
        {
            // The client is gone or the response cannot be written any more: nothing left to tell.
        }
    }

    private void LogOutcome(CallOutcome outcome, TimeSpan duration)
    {
        LogCallCompleted(outcome.RequestId, outcome.Model, outcome.Deployment, outcome.Streamed, outcome.Status,
            outcome.Failure?.ToString(), outcome.ClientAborted, outcome.Usage?.PromptTokens, outcome.Usage?.CompletionTokens,
            outcome.TimeToFirstToken?.TotalMilliseconds, duration.TotalMilliseconds);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Call {RequestId} model={Model} deployment={Deployment} streamed={Streamed} status={Status} failure={Failure} aborted={ClientAborted} promptTokens={PromptTokens} completionTokens={CompletionTokens} ttftMs={TimeToFirstTokenMs} durationMs={DurationMs}")]
    private partial void LogCallCompleted(string requestId, string? model, string? deployment, bool streamed, int status, string? failure,
        bool clientAborted, int? promptTokens, int? completionTokens, double? timeToFirstTokenMs, double durationMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Call {RequestId} failed unexpectedly")]
    private partial void LogUnexpectedFailure(string requestId, Exception exception);
}
