using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;

namespace Synaxis.Bench;

/// <summary>
/// Sends one streamed chat request and times it as a client would feel it: response headers, first
/// content token, end of stream. It also checks the answer is whole (every content chunk, then
/// <c>[DONE]</c>, then nothing), so a fast but broken stream counts as a failure, not as a good time.
/// </summary>
internal static class StreamProbe
{
    /// <summary>The key the gateway is configured to accept; sent to the direct target too, so both requests are the same bytes.</summary>
    public const string ClientKey = "sk-synaxis-bench";

    // The model is the one GatewayProcess configures (GatewayProcess.ModelName); the fake upstream ignores it.
    private static readonly byte[] Body = """{"model":"bench-model","messages":[{"role":"user","content":"hi"}],"stream":true}"""u8.ToArray();

    public static async Task<Sample> SendAsync(HttpClient client, Target target, int expectedChunks, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.ChatCompletionsUrl)
        {
            Content = new ByteArrayContent(Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            var headers = Stopwatch.GetElapsedTime(start);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var text = await response.Content.ReadAsStringAsync(bounded.Token);
                return Sample.Failed($"HTTP {(int)response.StatusCode}: {Shorten(text)}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(bounded.Token);
            TimeSpan? firstToken = null;
            var contentChunks = 0;
            var done = false;
            await foreach (var item in SseParser.Create(body, ChunkClassifier.Classify).EnumerateAsync(bounded.Token))
            {
                if (done)
                {
                    return Sample.Failed("an event after [DONE]");
                }

                switch (item.Data)
                {
                    case ChunkKind.Content:
                        firstToken ??= Stopwatch.GetElapsedTime(start);
                        contentChunks++;
                        break;
                    case ChunkKind.Done:
                        done = true;
                        break;
                    case ChunkKind.Error:
                        return Sample.Failed("an error event in the stream");
                    case ChunkKind.Invalid:
                        return Sample.Failed("a stream event that is not a JSON object");
                    default:
                        break;
                }
            }

            var total = Stopwatch.GetElapsedTime(start);
            if (!done)
            {
                return Sample.Failed("the stream ended without data: [DONE]");
            }

            return contentChunks == expectedChunks && firstToken is { } first
                ? Sample.Ok(headers, first, total)
                : Sample.Failed($"{contentChunks} content chunks instead of {expectedChunks}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Sample.Failed("cancelled");
        }
        catch (OperationCanceledException)
        {
            return Sample.Failed($"no complete answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            return Sample.Failed($"{exception.HttpRequestError}: {exception.Message}");
        }
        catch (IOException exception)
        {
            return Sample.Failed($"connection broke mid-stream: {exception.Message}");
        }
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
