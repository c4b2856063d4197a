using System.Net.Http.Headers;
using System.Text.Json;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Google Gemini through its own API: <c>models/{model}:generateContent</c>, and
/// <c>models/{model}:streamGenerateContent?alt=sse</c> for streams, translated to and from OpenAI's format.
/// The key travels in the <c>x-goog-api-key</c> header, never in the URL, where it would reach logs.
/// Embeddings go through <c>models/{model}:batchEmbedContents</c>.
/// </summary>
public sealed class GeminiProvider(IHttpClientFactory httpClients, ISecretStore secrets, TimeProvider time) : IChatProvider, IEmbeddingsProvider
{
    public const string ProviderName = "gemini";

    /// <summary>The Gemini API root used when a model names no <c>BaseUrl</c>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com/v1beta/");

    private const int MaxCompletionBytes = 64 * 1024 * 1024;

    public string Name => ProviderName;

    public async Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var (body, refused) = GeminiRequestWriter.Write(call.Request, call.Deployment.UpstreamModel);
        if (refused is not null)
        {
            return CompletionResult.Failed(refused);
        }

        using var response = await SendAsync(call.Deployment, "generateContent", body!, stream: false, cancellationToken).ConfigureAwait(false);
        if (response.Failure is { } failure)
        {
            return CompletionResult.Failed(failure);
        }

        var (bytes, complete) = await BoundedContentReader.ReadAsync(response.Message!.Content, MaxCompletionBytes, cancellationToken).ConfigureAwait(false);
        var answer = complete ? TryParse(bytes) : null;
        return answer is null
            ? CompletionResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer is not a Gemini response."))
            : GeminiCompletionTranslator.Translate(answer, call, time);
    }

    public async Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var (body, refused) = GeminiRequestWriter.Write(call.Request, call.Deployment.UpstreamModel);
        if (refused is not null)
        {
            return StreamResult.Failed(refused);
        }

        var response = await SendAsync(call.Deployment, "streamGenerateContent?alt=sse", body!, stream: true, cancellationToken).ConfigureAwait(false);
        if (response.Failure is { } failure)
        {
            return StreamResult.Failed(failure);
        }

        var message = response.Message!;
        Stream upstream;
        try
        {
            upstream = await message.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            message.Dispose();
            throw;
        }

        return StreamResult.Success(new OwnedChunkStream(GeminiStreamReader.ReadAsync(upstream, call, time), message));
    }

    public Task<EmbeddingsResult> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken) =>
        GeminiEmbeddings.EmbedAsync(call, ModelPath(call.Deployment.UpstreamModel),
            (method, body, token) => SendAsync(call.Deployment, method, body, stream: false, token), cancellationToken);

    /// <summary>Sends to <c>{BaseUrl}models/{model}:{method}</c>.</summary>
    private async Task<UpstreamResponse> SendAsync(ModelDeployment deployment, string method, byte[] body, bool stream, CancellationToken cancellationToken)
    {
        var (key, missing) = await UpstreamKey.GetAsync(secrets, deployment, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return new UpstreamResponse(null, missing);
        }

        var url = new Uri(deployment.BaseUrl ?? DefaultBaseUrl, $"{ModelPath(deployment.UpstreamModel)}:{method}");
        using var request = CreateRequest(url, body, stream, deployment, key);
        return await UpstreamSender.SendAsync(httpClients, request, (response, token) => GeminiErrorReader.ReadAsync(response, time, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>gemini-2.5-flash</c> and <c>models/gemini-2.5-flash</c> are the same model; <c>tunedModels/…</c> keeps its collection.</summary>
    private static string ModelPath(string model) => model.Contains('/', StringComparison.Ordinal) ? model : "models/" + Uri.EscapeDataString(model);

    private static HttpRequestMessage CreateRequest(Uri url, byte[] body, bool stream, ModelDeployment deployment, string? key)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.Accept.ParseAdd(stream ? "text/event-stream" : "application/json");
        if (key is not null)
        {
            message.Headers.Add("x-goog-api-key", key);
        }

        foreach (var (name, value) in deployment.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    private static GenerateContentResponse? TryParse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, GeminiJsonContext.Wire.GenerateContentResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
