using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Providers.OpenAICompatible;

/// <summary>
/// Reads an OpenAI-format event stream into canonical chunks, each the upstream's own bytes. A stream
/// that ends without <c>[DONE]</c> or a finish reason ends with a failure; a complete stream that never
/// reported usage gets a usage chunk the gateway estimated.
/// </summary>
internal static class OpenAIStreamReader
{
    /// <summary>Longest line of a stream; one event's JSON is a line, and real ones are a few kilobytes.</summary>
    private const int MaxStreamLineBytes = 8 * 1024 * 1024;

    public static async IAsyncEnumerable<StreamChunk> ReadAsync(HttpResponseMessage response, ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var parser = new OpenAIChunkParser();
        var body = new LineLimitedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxStreamLineBytes);
        var done = false;
        var sawUsage = false;
        await foreach (var item in SseParser.Create(body, parser.Parse).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            var parsed = item.Data;
            if (parsed.Kind == ParsedEventKind.Done)
            {
                done = true;
                break;
            }

            if (parsed.Kind != ParsedEventKind.Chunk)
            {
                continue;
            }

            var chunk = parsed.Chunk;
            sawUsage |= chunk.Usage is not null;
            if (chunk.Failure is not null)
            {
                yield return chunk;
                yield break;
            }

            // No choices and no usage: Azure's prompt_filter_results annotation, which no OpenAI client
            // expects (an empty first chunk breaks code that reads choices[0]).
            if (chunk.HasChoices || chunk.Usage is not null)
            {
                yield return chunk;
            }
        }

        // Some servers omit [DONE]; an answer whose choices all finished is still complete.
        if (!done && !parser.SawFinishReason)
        {
            yield return StreamChunk.Failed(new UpstreamFailure(UpstreamFailureKind.Reset, "The upstream ended the stream before the answer was complete."));
        }
        else if (!sawUsage)
        {
            yield return EstimatedUsage(parser, call);
        }
    }

    private static StreamChunk EstimatedUsage(OpenAIChunkParser parser, ProviderCall call)
    {
        var usage = TokenEstimator.Estimate(TokenEstimator.ForPrompt(call.Request), parser.CompletionCharacters);
        var chunk = new ChatCompletionChunk
        {
            Id = parser.Id,
            Created = parser.Created,
            Model = parser.Model ?? call.Deployment.UpstreamModel,
            Usage = usage,
        };
        return new StreamChunk(JsonSerializer.SerializeToUtf8Bytes(chunk, GatewayJsonContext.Wire.ChatCompletionChunk), hasChoices: false, usage);
    }
}
