using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// Any server that speaks OpenAI's Chat Completions: OpenAI itself, Groq, Mistral, DeepSeek, Together,
/// OpenRouter, Ollama, vLLM, LM Studio. The request goes out in the canonical format with the upstream's
/// model name; the answer is the canonical format already, so chunks are relayed byte for byte.
/// </summary>
public sealed class OpenAICompatibleProvider(IHttpClientFactory httpClients, ISecretStore secrets, TimeProvider time) : IChatProvider
{
    public const string ProviderName = "openai";

    /// <summary>The name of the <see cref="HttpClient"/> every upstream call uses.</summary>
    public const string HttpClientName = "synaxis-upstream";

    /// <summary>Largest non-streamed answer accepted; a bigger one is a protocol error, not an out-of-memory.</summary>
    private const int MaxCompletionBytes = 64 * 1024 * 1024;

    /// <summary>Longest line of a stream; one event's JSON is a line, and real ones are a few kilobytes.</summary>
    private const int MaxStreamLineBytes = 8 * 1024 * 1024;

    // Each deployment's endpoint, parsed once instead of on every call.
    private readonly ConcurrentDictionary<Uri, Uri> _endpoints = new();

    public string Name => ProviderName;

    public async Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        using var request = await BuildRequestAsync(call, stream: false, cancellationToken).ConfigureAwait(false);
        if (request.Failure is { } missing)
        {
            return CompletionResult.Failed(missing);
        }

        using var response = await SendAsync(request.Message!, cancellationToken).ConfigureAwait(false);
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

        return CompletionResult.Success(body, usage);
    }

    public async Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        using var request = await BuildRequestAsync(call, stream: true, cancellationToken).ConfigureAwait(false);
        if (request.Failure is { } missing)
        {
            return StreamResult.Failed(missing);
        }

        var response = await SendAsync(request.Message!, cancellationToken).ConfigureAwait(false);
        if (response.Failure is { } failure)
        {
            response.Dispose();
            return StreamResult.Failed(failure);
        }

        var message = response.Message!;
        var chunks = message.Content.Headers.ContentType?.MediaType == "application/json"
            ? CompletionAsStream.ReadAsync(message, MaxCompletionBytes)
            : ReadChunksAsync(message);
        return StreamResult.Success(new OwnedChunkStream(chunks, message));
    }

    private async Task<UpstreamRequest> BuildRequestAsync(ProviderCall call, bool stream, CancellationToken cancellationToken)
    {
        var deployment = call.Deployment;
        string? key = null;
        if (deployment.ApiKeySecret is { } secretName)
        {
            key = await secrets.GetSecretAsync(secretName, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                return new UpstreamRequest(null, new UpstreamFailure(UpstreamFailureKind.AuthenticationFailed,
                    $"The secret '{secretName}' that model '{deployment.Name}' needs is not configured."));
            }
        }

        var body = new ByteArrayContent(UpstreamRequestWriter.Write(call.Request, deployment.UpstreamModel, stream));
        var endpoint = _endpoints.GetOrAdd(deployment.BaseUrl!, static baseUrl => new Uri(baseUrl, "chat/completions"));
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = body };
        // Fixed, known-good values: added as they are sent, without building and parsing header objects per call.
        body.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (key is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        message.Headers.TryAddWithoutValidation("Accept", stream ? "text/event-stream" : "application/json");
        foreach (var (name, value) in deployment.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return new UpstreamRequest(message, null);
    }

    private async Task<UpstreamResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception text names the host and port; the client only learns what kind of failure it was.
            var kind = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                ? UpstreamFailureKind.ConnectFailed
                : UpstreamFailureKind.Reset;
            return new UpstreamResponse(null, new UpstreamFailure(kind, kind == UpstreamFailureKind.ConnectFailed
                ? "The gateway could not connect to the upstream."
                : "The connection to the upstream failed."));
        }

        if (OpenAIErrorReader.IsSuccess(response.StatusCode))
        {
            return new UpstreamResponse(response, null);
        }

        using (response)
        {
            return new UpstreamResponse(null, await OpenAIErrorReader.ReadAsync(response, time, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async IAsyncEnumerable<StreamChunk> ReadChunksAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using (var parser = new OpenAIChunkParser())
        {
            var body = new LineLimitedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxStreamLineBytes);
            var done = false;
            await foreach (var item in SseParser.Create(body, parser.Parse).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                var parsed = item.Data;
                if (parsed.Kind == ParsedEventKind.Done)
                {
                    done = true;
                    break;
                }

                if (parsed.Kind == ParsedEventKind.Chunk)
                {
                    yield return parsed.Chunk;
                    if (parsed.Chunk.Failure is not null)
                    {
                        yield break;
                    }
                }
            }

            // Some servers omit [DONE]; an answer whose choices all finished is still complete.
            if (!done && !parser.SawFinishReason)
            {
                yield return StreamChunk.Failed(new UpstreamFailure(UpstreamFailureKind.Reset, "The upstream ended the stream before the answer was complete."));
            }
        }
    }

    private readonly record struct UpstreamRequest(HttpRequestMessage? Message, UpstreamFailure? Failure) : IDisposable
    {
        public void Dispose() => Message?.Dispose();
    }

    private readonly record struct UpstreamResponse(HttpResponseMessage? Message, UpstreamFailure? Failure) : IDisposable
    {
        public void Dispose() => Message?.Dispose();
    }
}
