using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Synaxis.Bench.Load;

/// <summary>Sends one non-streamed chat request and times it; the answer must be HTTP 200 with a <c>chat.completion</c> that has choices.</summary>
internal static class CompletionProbe
{
    public static async Task<Sample> SendAsync(HttpClient client, Target target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var request = ChatRequests.Create(target, ChatRequests.Completed, stream: false);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            var headers = Stopwatch.GetElapsedTime(start);
            var body = await response.Content.ReadAsByteArrayAsync(bounded.Token);
            var total = Stopwatch.GetElapsedTime(start);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Sample.Failed($"HTTP {(int)response.StatusCode}: {ChatRequests.Shorten(System.Text.Encoding.UTF8.GetString(body))}");
            }

            return IsCompletion(body) ? Sample.Ok(headers, total, total) : Sample.Failed("an answer that is not a chat completion with choices");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Sample.Failed("cancelled");
        }
        catch (OperationCanceledException)
        {
            return Sample.Failed($"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            return Sample.Failed($"{exception.HttpRequestError}: {exception.Message}");
        }
    }

    private static bool IsCompletion(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var choices = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isChoices = reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isChoices && reader.TokenType == JsonTokenType.StartArray)
                {
                    choices = reader.Read() && reader.TokenType == JsonTokenType.StartObject;
                    while (reader.CurrentDepth > 1)
                    {
                        reader.Read();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return choices;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
