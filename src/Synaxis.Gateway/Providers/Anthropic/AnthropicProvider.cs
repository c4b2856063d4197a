using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST {BaseUrl}/messages</c>). The canonical request is written in
/// Anthropic's format (<see cref="AnthropicRequestWriter"/>) with the key as <c>x-api-key</c> and the
/// deployment's <c>anthropic-version</c>; the answer is translated back to OpenAI's format, event by
/// event for streams (<see cref="AnthropicStreamTranslator"/>). Usage always ends a stream.
/// </summary>
public sealed class AnthropicProvider(IHttpClientFactory httpClients, ISecretStore secrets, TimeProvider time) : IChatProvider
{
    public const string ProviderName = "anthropic";

    /// <summary>The API version sent when a deployment names none: the one Anthropic's documentation uses.</summary>
    public const string DefaultApiVersion = "2023-06-01";

    private const int MaxCompletionBytes = 64 * 1024 * 1024;
    private const int MaxStreamLineBytes = 8 * 1024 * 1024;

    public static Uri DefaultBaseUrl { get; } = new("https://api.anthropic.com/v1/");

    public string Name => ProviderName;

    public async Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var (response, failure) = await SendAsync(call, stream: false, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return CompletionResult.Failed(failure);
        }

        using (response)
        {
            var (body, complete) = await BoundedContentReader.ReadAsync(response!.Content, MaxCompletionBytes, cancellationToken).ConfigureAwait(false);
            return complete
                ? AnthropicAnswerTranslator.Translate(body, time.GetUtcNow().ToUnixTimeSeconds())
                : CompletionResult.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer is larger than the gateway accepts."));
        }
    }

    public async Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var (response, failure) = await SendAsync(call, stream: true, cancellationToken).ConfigureAwait(false);
        return failure is not null
            ? StreamResult.Failed(failure)
            : StreamResult.Success(new OwnedChunkStream(ReadChunksAsync(response!, call), response!));
    }

    private async IAsyncEnumerable<StreamChunk> ReadChunksAsync(HttpResponseMessage response, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var translator = new AnthropicStreamTranslator($"chatcmpl-{call.RequestId}", call.Deployment.UpstreamModel, time.GetUtcNow().ToUnixTimeSeconds());
        var body = new LineLimitedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxStreamLineBytes);
        var pending = new List<StreamChunk>(2);
        await foreach (var item in SseParser.Create(body, AnthropicStreamTranslator.Parse).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            translator.Translate(item.EventType, item.Data, pending);
            foreach (var chunk in pending)
            {
                yield return chunk;
                if (chunk.Failure is not null)
                {
                    yield break;
                }
            }

            pending.Clear();
            if (translator.Completed)
            {
                yield break;
            }
        }

        yield return translator.Truncated();
    }

    /// <summary>Sends the call; on success the caller owns the response. (A refused key is re-read by <see cref="Routing.DeploymentRouter"/>.)</summary>
    private async Task<(HttpResponseMessage? Response, UpstreamFailure? Failure)> SendAsync(ProviderCall call, bool stream, CancellationToken cancellationToken)
    {
        var (body, invalid) = AnthropicRequestWriter.Write(call.Request, call.Deployment, stream);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var (key, missing) = await UpstreamKey.GetAsync(secrets, call.Deployment, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return (null, missing);
        }

        using var request = CreateRequest(call.Deployment, body!, key, stream);
        var (response, failure) = await UpstreamSender.SendAsync(httpClients, request,
            (refused, token) => AnthropicErrorReader.ReadAsync(refused, time, token), cancellationToken).ConfigureAwait(false);
        return (response, failure);
    }

    private static HttpRequestMessage CreateRequest(ModelDeployment deployment, byte[] body, string? key, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(deployment.BaseUrl ?? DefaultBaseUrl, "messages"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        }

        request.Headers.TryAddWithoutValidation("anthropic-version", deployment.ApiVersion ?? DefaultApiVersion);
        request.Headers.Accept.ParseAdd(stream ? "text/event-stream" : "application/json");
        foreach (var (name, value) in deployment.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
