using System.Net.Http.Headers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// Any server that speaks OpenAI's Chat Completions: OpenAI itself, Groq, Mistral, DeepSeek, Together,
/// OpenRouter, Ollama, vLLM, LM Studio. The request goes out in the canonical format with the upstream's
/// model name to <c>{BaseUrl}/chat/completions</c> with the key as a bearer token; the answer is the
/// canonical format already, so chunks are relayed byte for byte. Embeddings go to <c>{BaseUrl}/embeddings</c>.
/// </summary>
public sealed class OpenAICompatibleProvider(IHttpClientFactory httpClients, ISecretStore secrets, TimeProvider time) : IChatProvider, IEmbeddingsProvider
{
    public const string ProviderName = "openai";

    /// <summary>The name of the <see cref="HttpClient"/> every upstream call uses.</summary>
    public const string HttpClientName = UpstreamSender.HttpClientName;

    private readonly OpenAIWire _wire = new(httpClients, time);

    public string Name => ProviderName;

    public async Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var body = UpstreamRequestWriter.Write(call.Request, call.Deployment.UpstreamModel, stream: false);
        var (request, failure) = await BuildRequestAsync(call.Deployment, "chat/completions", body, stream: false, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return CompletionResult.Failed(failure);
        }

        using (request)
        {
            return await _wire.CompleteAsync(request!, call, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var body = UpstreamRequestWriter.Write(call.Request, call.Deployment.UpstreamModel, stream: true);
        var (request, failure) = await BuildRequestAsync(call.Deployment, "chat/completions", body, stream: true, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return StreamResult.Failed(failure);
        }

        using (request)
        {
            return await _wire.StreamAsync(request!, call, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<EmbeddingsResult> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken)
    {
        var body = OpenAIEmbeddings.WriteRequest(call.Request, call.Deployment.UpstreamModel);
        var (request, failure) = await BuildRequestAsync(call.Deployment, "embeddings", body, stream: false, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return EmbeddingsResult.Failed(failure);
        }

        using (request)
        {
            return await OpenAIEmbeddings.SendAsync(_wire, request!, call, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(HttpRequestMessage? Request, UpstreamFailure? Failure)> BuildRequestAsync(ModelDeployment deployment, string path, byte[] body, bool stream, CancellationToken cancellationToken)
    {
        var (key, missing) = await UpstreamKey.GetAsync(secrets, deployment, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return (null, missing);
        }

        var message = OpenAIWire.CreateRequest(new Uri(deployment.BaseUrl!, path), body, stream, deployment);
        if (key is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return (message, null);
    }
}
