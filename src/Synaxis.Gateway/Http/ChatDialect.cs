using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>
/// The wire format one endpoint speaks: how its request becomes the canonical (OpenAI) request, and how
/// the canonical answer, stream and errors are written back. <c>/v1/chat/completions</c> speaks OpenAI's,
/// unchanged; <c>/v1/messages</c> speaks Anthropic's. Everything between (authentication, limits, the
/// catalog, the provider call, timeouts, metering) is the one pipeline both share.
/// </summary>
internal abstract class ChatDialect
{
    /// <summary>OpenAI's Chat Completions: the canonical format itself.</summary>
    public static ChatDialect OpenAI { get; } = new OpenAIDialect();

    /// <summary>Whether the client key may come in <c>x-api-key</c> as well as <c>Authorization: Bearer</c>.</summary>
    public virtual bool AcceptsApiKeyHeader => false;

    /// <summary>Parses and validates the body into the canonical request, or says what is wrong (400).</summary>
    public abstract ApiError? ReadRequest(ReadOnlySequence<byte> body, out ChatCompletionRequest? request);

    /// <summary>Writes a non-streamed answer, given as canonical <c>chat.completion</c> JSON.</summary>
    public abstract Task WriteCompletionAsync(HttpResponse response, ReadOnlyMemory<byte> completion, CancellationToken cancellationToken);

    /// <summary>Writes an error answer (status, headers and body) before anything else was sent.</summary>
    public abstract Task WriteErrorAsync(HttpResponse response, ApiError error, CancellationToken cancellationToken);

    /// <summary>A writer for one streamed answer; it may keep state from chunk to chunk.</summary>
    public abstract ChatStreamWriter CreateStreamWriter(ChatCompletionRequest request);

    /// <summary>Ends a started stream with an error event when no <see cref="ChatStreamWriter"/> is at hand (an unexpected failure).</summary>
    public abstract ValueTask WriteStreamErrorAsync(PipeWriter writer, ApiError error, CancellationToken cancellationToken);
}
