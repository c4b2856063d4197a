using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Serves <c>POST /v1/embeddings</c> for every host. The algorithm, with matching <c>// Step N</c> markers:
/// <list type="number">
/// <item>Authenticate the bearer key (401).</item>
/// <item>Read the body, never past the size limit (413).</item>
/// <item>Parse and validate the request, naming the bad field (400).</item>
/// <item>Resolve the model (404) and check that its provider makes embeddings (400).</item>
/// <item>Call the upstream within the model's first-byte timeout and return its answer.</item>
/// <item>Record the outcome: status, usage, duration.</item>
/// </list>
/// </summary>
public sealed partial class EmbeddingsHandler(
    RequestAuthenticator authenticator,
    ModelCatalog catalog,
    IEnumerable<IChatProvider> providers,
    KeyRotationRetry keyRotation,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<EmbeddingsHandler> logger)
{
    // A provider makes embeddings when it also implements IEmbeddingsProvider (OpenAI-compatible, Azure OpenAI, Gemini, mock).
    private readonly Dictionary<string, IEmbeddingsProvider> _providers = providers.OfType<IEmbeddingsProvider>().ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    private readonly long _maxBodyBytes = options.Value.MaxRequestBodyBytes;

    /// <param name="context">The request and response.</param>
    /// <param name="cancellationToken">Fires when the client is gone; hosts pass <c>RequestAborted</c> (linked with their own token).</param>
    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = new CallOutcome(RequestIds.Assign(context), time.GetTimestamp());
        try
        {
            var error = await ServeAsync(context, outcome, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                await HttpResponses.WriteErrorAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
            }

            outcome.Status = error?.Status ?? context.Response.StatusCode;
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && UpstreamErrors.IsTransportFailure(exception))
        {
            outcome.ClientAborted = true;
            outcome.Status = 499; // nginx's code for "client closed the request"
        }
        finally
        {
            // Step 6: record the outcome.
            LogCallCompleted(outcome.RequestId, outcome.Model, outcome.Deployment, outcome.Status, outcome.Failure?.ToString(),
                outcome.Usage?.PromptTokens, outcome.Usage?.IsEstimated == true, time.GetElapsedTime(outcome.StartTimestamp).TotalMilliseconds);
        }
    }

    private async Task<ApiError?> ServeAsync(HttpContext context, CallOutcome outcome, CancellationToken cancellationToken)
    {
        // Step 1: authenticate.
        if (authenticator.Authenticate(context.Request) is { } unauthorized)
        {
            return unauthorized;
        }

        // Step 2: read the body within the limit.
        var (body, tooLarge) = await RequestBodyReader.ReadAsync(context.Request, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        // Step 3: parse and validate.
        var invalid = EmbeddingsRequestReader.TryRead(body, out var request, out var input);
        context.Request.BodyReader.AdvanceTo(body.End);
        if (invalid is not null)
        {
            return invalid;
        }

        // Step 4: resolve the model and its provider.
        outcome.Model = request!.Model;
        if (!catalog.TryResolve(request.Model!, out var deployment))
        {
            return ApiError.ModelNotFound(request.Model!);
        }

        outcome.Deployment = deployment.Name;
        if (!_providers.TryGetValue(deployment.Provider, out var provider))
        {
            return new ApiError(400, $"The model '{request.Model}' is served by provider '{deployment.Provider}', which makes no embeddings.",
                "invalid_request_error", "model", "model_not_supported");
        }

        // Step 5: call the upstream and answer.
        using var timer = new UpstreamTimer(time, cancellationToken);
        timer.Arm(deployment.FirstByteTimeout);
        EmbeddingsResult result;
        try
        {
            result = await keyRotation.EmbedAsync(provider, new EmbeddingsCall(request, input!, deployment, outcome.RequestId), timer.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
        {
            result = EmbeddingsResult.Failed(UpstreamErrors.FromException(timer, beforeFirstChunk: true));
        }

        timer.Disarm();
        if (result.Failure is { } failure)
        {
            outcome.Failure = failure.Kind;
            return UpstreamErrors.ToApiError(failure, deployment.Name);
        }

        outcome.Usage = result.Usage;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await HttpResponses.WriteJsonAsync(context.Response, result.Json, cancellationToken).ConfigureAwait(false);
        return null;
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information,
        Message = "Embeddings {RequestId} model={Model} deployment={Deployment} status={Status} failure={Failure} promptTokens={PromptTokens} estimated={Estimated} durationMs={DurationMs}")]
    private partial void LogCallCompleted(string requestId, string? model, string? deployment, int status, string? failure, int? promptTokens, bool estimated, double durationMs);
}
