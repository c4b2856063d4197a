using System.Net.Http.Headers;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Providers.AzureOpenAI;

/// <summary>
/// Azure OpenAI: the OpenAI wire format at a deployment URL (<see cref="AzureOpenAIEndpoint"/>), with an
/// <c>api-key</c> header when the deployment names a secret and a Microsoft Entra ID token when it does not
/// (keyless, managed identity in Azure). Azure's additions pass through: <c>content_filter_results</c> in
/// choices, <c>finish_reason: "content_filter"</c>, the 400 <c>content_filter</c> refusal of a prompt; its
/// first chunk, which carries only <c>prompt_filter_results</c>, is not relayed. Embeddings go to the
/// deployment's <c>embeddings</c> operation.
/// </summary>
public sealed class AzureOpenAIProvider(IHttpClientFactory httpClients, ISecretStore secrets, EntraTokenSource tokens, TimeProvider time) : IChatProvider, IEmbeddingsProvider
{
    public const string ProviderName = "azure-openai";

    private readonly OpenAIWire _wire = new(httpClients, time);

    public string Name => ProviderName;

    public Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken) =>
        SendAsync(call.Deployment, "chat/completions", ChatBody(call, stream: false), stream: false,
            (request, token) => _wire.CompleteAsync(request, call, token), CompletionResult.Failed, cancellationToken);

    public Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken) =>
        SendAsync(call.Deployment, "chat/completions", ChatBody(call, stream: true), stream: true,
            (request, token) => _wire.StreamAsync(request, call, token), StreamResult.Failed, cancellationToken);

    public Task<EmbeddingsResult> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken) =>
        SendAsync(call.Deployment, "embeddings", OpenAIEmbeddings.WriteRequest(call.Request, call.Deployment.UpstreamModel), stream: false,
            (request, token) => OpenAIEmbeddings.SendAsync(_wire, request, call, token), EmbeddingsResult.Failed, cancellationToken);

    private static byte[] ChatBody(ProviderCall call, bool stream) =>
        UpstreamRequestWriter.Write(call.Request, call.Deployment.UpstreamModel, stream, AzureOpenAIEndpoint.SupportsStreamUsage(call.Deployment));

    /// <summary>Authorises and sends the request to the deployment's <paramref name="operation"/>.</summary>
    private async Task<T> SendAsync<T>(ModelDeployment deployment, string operation, byte[] body, bool stream, Func<HttpRequestMessage, CancellationToken, Task<T>> send,
        Func<UpstreamFailure, T> failed, CancellationToken cancellationToken)
    {
        var (credential, missing) = await GetCredentialAsync(deployment, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return failed(missing);
        }

        using var request = Authorize(OpenAIWire.CreateRequest(AzureOpenAIEndpoint.For(deployment, operation), body, stream, deployment), deployment.ApiKeySecret is not null, credential!);
        return await send(request, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(string? Credential, UpstreamFailure? Failure)> GetCredentialAsync(ModelDeployment deployment, CancellationToken cancellationToken)
    {
        if (deployment.ApiKeySecret is not null)
        {
            return await UpstreamKey.GetAsync(secrets, deployment, cancellationToken).ConfigureAwait(false);
        }

        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token is not null
            ? (token, null)
            : (null, new UpstreamFailure(UpstreamFailureKind.AuthenticationFailed,
                $"The gateway could not get a Microsoft Entra ID token for the Azure OpenAI deployment of model '{deployment.Name}'."));
    }

    private static HttpRequestMessage Authorize(HttpRequestMessage request, bool isKey, string credential)
    {
        if (isKey)
        {
            request.Headers.Add("api-key", credential);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return request;
    }
}
