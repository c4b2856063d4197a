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
/// Serves <c>POST /v1/embeddings</c> for every host. The algorithm, with matching <c>// Step N</c> markers:
/// <list type="number">
/// <item>Authenticate the bearer key (401).</item>
/// <item>Read the body, never past the size limit (413).</item>
/// <item>Parse and validate the request, naming the bad field (400).</item>
/// <item>Resolve the model (404) and check that a provider of its deployments makes embeddings (400).</item>
/// <item>Admit the call under the key's model list, rate limits, budget and credit (403, 429, 402).</item>
/// <item>Route the call among those deployments (<see cref="DeploymentRouter"/>: choice, retry, fallback, circuit
/// breaking), each attempt within its first-byte timeout, and return the answer.</item>
/// <item>Record the outcome: status, usage, duration.</item>
/// </list>
/// </summary>
public sealed partial class EmbeddingsHandler(
    RequestAuthenticator authenticator,
    ModelCatalog catalog,
    IEnumerable<IChatProvider> providers,
    DeploymentRouter router,
    CallMeter meter,
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
            // Step 7: record the outcome.
            var duration = time.GetElapsedTime(outcome.StartTimestamp);
            LogCallCompleted(outcome.RequestId, outcome.Model, outcome.Deployment, outcome.Status, outcome.Failure?.ToString(),
                outcome.Usage?.PromptTokens, outcome.Usage?.IsEstimated == true, duration.TotalMilliseconds);
            await CallMetering.CompleteAsync(outcome, duration).ConfigureAwait(false);
            CallTelemetry.Complete(outcome, CallTelemetry.Embeddings, duration);
        }
    }

    private async Task<ApiError?> ServeAsync(HttpContext context, CallOutcome outcome, CancellationToken cancellationToken)
    {
        // Step 1: authenticate.
        var authentication = await authenticator.AuthenticateAsync(context.Request, acceptApiKeyHeader: false, cancellationToken).ConfigureAwait(false);
        if (authentication.Error is { } unauthorized)
        {
            return unauthorized;
        }

        outcome.Caller = authentication.Caller;

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
        if (!catalog.TryResolve(request.Model!, out var model))
        {
            return ApiError.ModelNotFound(request.Model!);
        }

        var embedding = EmbeddingDeployments(model);
        if (embedding is null)
        {
            return new ApiError(400, $"The model '{request.Model}' is served by provider '{model.Deployments[0].Provider}', which makes no embeddings.",
                "invalid_request_error", "model", "model_not_supported");
        }

        // Step 5: admit the call under the key's model list, rate limits, budget and credit (403, 429, 402).
        var promptTokens = input!.Texts is { } texts ? TokenEstimator.ForCharacters(texts.Sum(t => (long)t.Length)) : input.Tokens!.Sum(t => t.Length);
        if (await CallMetering.AdmitAsync(meter, context.Response, outcome, model, promptTokens, 0, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        // Step 6: route to a deployment and answer.
        var routed = await router.RouteAsync<EmbeddingsAttempt>(embedding, outcome.RequestId,
            (deployment, firstByte, token) => EmbeddingsAttempt.RunAsync(
                _providers[deployment.Provider], new EmbeddingsCall(request, input!, deployment, outcome.RequestId), time, firstByte, token),
            cancellationToken).ConfigureAwait(false);
        await using var attempt = routed.Attempt;
        if (await CallMetering.ConfirmWholeAnswerAsync(outcome, context.Response, attempt?.Deployment, routed.Failure, model.Name).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        var result = attempt!.Result;
        outcome.Usage = result.Usage;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await HttpResponses.WriteJsonAsync(context.Response, result.Json, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The model with only the deployments whose provider makes embeddings; null when none does.</summary>
    private CatalogModel? EmbeddingDeployments(CatalogModel model)
    {
        if (model.Deployments.All(d => _providers.ContainsKey(d.Provider)))
        {
            return model;
        }

        var embedding = model.Deployments.Where(d => _providers.ContainsKey(d.Provider)).ToList();
        return embedding.Count == 0 ? null : new CatalogModel { Name = model.Name, Aliases = model.Aliases, OwnedBy = model.OwnedBy, Deployments = embedding };
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information,
        Message = "Embeddings {RequestId} model={Model} deployment={Deployment} status={Status} failure={Failure} promptTokens={PromptTokens} estimated={Estimated} durationMs={DurationMs}")]
    private partial void LogCallCompleted(string requestId, string? model, string? deployment, int status, string? failure, int? promptTokens, bool estimated, double durationMs);
}
