using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Http;

/// <summary>OpenAI's Chat Completions, the canonical format: chunks go out as they are, errors in OpenAI's envelope.</summary>
internal sealed class OpenAIDialect : ChatDialect
{
    public override ApiError? ReadRequest(ReadOnlySequence<byte> body, out ChatCompletionRequest? request) => ChatRequestReader.TryRead(body, out request);

    public override Task WriteCompletionAsync(HttpResponse response, ReadOnlyMemory<byte> completion, CancellationToken cancellationToken) =>
        HttpResponses.WriteJsonAsync(response, completion, cancellationToken);

    public override Task WriteErrorAsync(HttpResponse response, ApiError error, CancellationToken cancellationToken) =>
        HttpResponses.WriteErrorAsync(response, error, cancellationToken);

    public override ChatStreamWriter CreateStreamWriter(ChatCompletionRequest request) => new Writer(request.WantsStreamUsage);

    public override async ValueTask WriteStreamErrorAsync(PipeWriter writer, ApiError error, CancellationToken cancellationToken) =>
        await SseWriter.WriteDataAsync(writer, error.ToUtf8Json(), cancellationToken).ConfigureAwait(false);

    private sealed class Writer(bool wantsUsage) : ChatStreamWriter
    {
        public override ValueTask WriteChunkAsync(SseResponse client, StreamChunk chunk) =>
            // The usage-only chunk was requested for metering; the client sees it only if it asked too.
            !chunk.HasChoices && chunk.Usage is not null && !wantsUsage ? ValueTask.CompletedTask : client.WriteDataAsync(chunk.Json);

        public override ValueTask WriteDoneAsync(SseResponse client) => client.WriteDoneAsync();

        /// <summary><c>data: {"error":…}</c> and no <c>[DONE]</c>.</summary>
        public override ValueTask WriteErrorAsync(SseResponse client, ApiError error) => client.WriteErrorAsync(error);
    }
}
