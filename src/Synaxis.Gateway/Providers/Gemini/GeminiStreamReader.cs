using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Synaxis.Gateway.Streaming;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// Reads <c>streamGenerateContent?alt=sse</c> (<c>data:</c> lines, CRLF-separated events, no end sentinel)
/// and hands each event to a <see cref="GeminiStreamTranslator"/>. An event that is not valid JSON ends
/// the stream with a protocol error.
/// </summary>
internal static class GeminiStreamReader
{
    private const int MaxStreamLineBytes = 8 * 1024 * 1024;

    public static async IAsyncEnumerable<StreamChunk> ReadAsync(Stream upstream, ProviderCall call, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var translator = new GeminiStreamTranslator(call, time);
        var body = new LineLimitedStream(upstream, MaxStreamLineBytes);
        await foreach (var item in SseParser.Create(body, Parse).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data.Invalid)
            {
                yield return StreamChunk.Failed(new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream sent a stream event that is not valid JSON."));
                yield break;
            }

            if (item.Data.Response is { } response && translator.Translate(response) is { } chunk)
            {
                yield return chunk;
                if (chunk.Failure is not null)
                {
                    yield break;
                }
            }
        }

        yield return translator.Complete();
    }

    private static GeminiEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.Trim(" \t\r\n"u8).IsEmpty)
        {
            return default;
        }

        try
        {
            var response = JsonSerializer.Deserialize(data, GeminiJsonContext.Wire.GenerateContentResponse);
            return response is null ? new GeminiEvent(null, Invalid: true) : new GeminiEvent(response, Invalid: false);
        }
        catch (JsonException)
        {
            return new GeminiEvent(null, Invalid: true);
        }
    }

    private readonly record struct GeminiEvent(GenerateContentResponse? Response, bool Invalid);
}
