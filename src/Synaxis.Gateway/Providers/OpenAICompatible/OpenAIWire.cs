using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// The OpenAI Chat Completions exchange once a provider has said where the request goes and how it
/// authenticates (OpenAI-compatible servers, Azure OpenAI): send, read the answer or the stream, make
/// sure usage is known. Chunks are relayed byte for byte.
/// </summary>
internal sealed class OpenAIWire(IHttpClientFactory httpClients, TimeProvider time)
{
    /// <summary>Largest non-streamed answer accepted; a bigger one is a protocol error, not an out-of-memory.</summary>
    public const int MaxCompletionBytes = 64 * 1024 * 1024;

    /// <summary>A POST of <paramref name="body"/> to <paramref name="url"/> with the deployment's extra headers; the caller adds credentials.</summary>
    public static HttpRequestMessage CreateRequest(Uri url, byte[] body, bool stream, ModelDeployment deployment)
    {
        var content = new ByteArrayContent(body);
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        // Fixed, known-good values: added as they are sent, without building and parsing header objects per call.
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        message.Headers.TryAddWithoutValidation("Accept", stream ? "text/event-stream" : "application/json");
        foreach (var (name, value) in deployment.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public Task<UpstreamResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        UpstreamSender.SendAsync(httpClients, request, (response, token) => OpenAIErrorReader.ReadAsync(response, time, token), cancellationToken);

    public async Task<CompletionResult> CompleteAsync(HttpRequestMessage request, ProviderCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Failure is { } failure)
        {
            return CompletionResult.Failed(failure);
        }

        var (body, complete) = await BoundedContentReader.ReadAsync(response.Message!.Content, MaxCompletionBytes, cancellationToken).ConfigureAwait(false);
        if (!complete)
        {
            return CompletionResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer is larger than the gateway accepts."));
        }

        if (!CompletionScanner.TryReadUsage(body, out var usage))
        {
            return CompletionResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer is not a chat completion."));
        }

        usage ??= TokenEstimator.Estimate(TokenEstimator.ForPrompt(call.Request), CompletionScanner.CountAnswerCharacters(body));
        return CompletionResult.Success(body, usage);
    }

    /// <summary>Opens the stream; the chunks own the upstream response and release it when enumeration ends.</summary>
    public async Task<StreamResult> StreamAsync(HttpRequestMessage request, ProviderCall call, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Failure is { } failure)
        {
            response.Dispose();
            return StreamResult.Failed(failure);
        }

        var message = response.Message!;
        var chunks = message.Content.Headers.ContentType?.MediaType == "application/json"
            ? CompletionAsStream.ReadAsync(message, MaxCompletionBytes, call)
            : OpenAIStreamReader.ReadAsync(message, call);
        return StreamResult.Success(new OwnedChunkStream(chunks, message));
    }
}
