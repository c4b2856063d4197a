using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;

namespace Synaxis.Bench.Load;

/// <summary>
/// Sends one streamed chat request and times it as a client feels it: response headers, first content
/// token, end of stream. It checks the answer is whole (every content chunk, then <c>[DONE]</c>, then
/// nothing), so a fast but broken stream counts as a failure, not as a good time. With
/// <c>abortAfterFirstToken</c> it hangs up the moment the first token arrives instead, and notes when.
/// </summary>
internal static class StreamProbe
{
    public static async Task<Sample> SendAsync(
        HttpClient client, Target target, byte[] body, int expectedChunks, bool abortAfterFirstToken, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var request = ChatRequests.Create(target, body, stream: true);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            var headers = Stopwatch.GetElapsedTime(start);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var text = await response.Content.ReadAsStringAsync(bounded.Token);
                return Sample.Failed($"HTTP {(int)response.StatusCode}: {ChatRequests.Shorten(text)}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(bounded.Token);
            TimeSpan? firstToken = null;
            var contentChunks = 0;
            var done = false;
            await foreach (var item in SseParser.Create(stream, ChunkClassifier.Classify).EnumerateAsync(bounded.Token))
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
                        if (abortAfterFirstToken)
                        {
                            // Cancelling a read in flight makes the handler drop the connection instead of draining it for reuse.
                            var abortedAt = Stopwatch.GetTimestamp();
                            await bounded.CancelAsync();
                            return Sample.Aborted(headers, firstToken.Value, abortedAt);
                        }

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
}
