using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// Anthropic's Messages API as an ingress: requests in Anthropic's format, answers, streams and errors
/// written back in it, the key accepted in <c>x-api-key</c> too.
/// </summary>
internal sealed class AnthropicDialect : ChatDialect
{
    public static AnthropicDialect Instance { get; } = new();

    public override bool AcceptsApiKeyHeader => true;

    public override ApiError? ReadRequest(ReadOnlySequence<byte> body, out ChatCompletionRequest? request) => MessagesRequestReader.TryRead(body, out request);

    public override Task WriteCompletionAsync(HttpResponse response, ReadOnlyMemory<byte> completion, CancellationToken cancellationToken) =>
        HttpResponses.WriteJsonAsync(response, MessagesAnswerWriter.Write(completion.Span, "unknown"), cancellationToken);

    public override Task WriteErrorAsync(HttpResponse response, ApiError error, CancellationToken cancellationToken)
    {
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } wait)
        {
            response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return HttpResponses.WriteJsonAsync(response, AnthropicErrors.ToUtf8Json(error), cancellationToken);
    }

    public override ChatStreamWriter CreateStreamWriter(ChatCompletionRequest request) => new MessagesStreamWriter(request.Model ?? "unknown");

    public override async ValueTask WriteStreamErrorAsync(PipeWriter writer, ApiError error, CancellationToken cancellationToken) =>
        await SseWriter.WriteEventAsync(writer, AnthropicEventJson.Error, AnthropicErrors.ToUtf8Json(error), cancellationToken).ConfigureAwait(false);
}
